/**
 * End-to-end test of the desktop app: Playwright launches the built Electron app (package.json
 * "main") and drives the window. Skipped, with the reason printed, where no Electron binary
 * exists (ELECTRON_SKIP_BINARY_DOWNLOAD=1 installs), or where better-sqlite3 has no build for
 * that binary's Electron (run `npm start` once, or set HCLAB_SQLITE_BINDING).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/contract.js';
import { createApiService } from '../../main/service/api/api-service.js';
import { electronForTests } from '../support/electron.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The binary, checked to launch, with a better-sqlite3 build for it (or why not). */
const electron = electronForTests();
if ('missing' in electron) console.log(`electron e2e: skipped — ${electron.missing}`);
const binary = 'missing' in electron ? null : electron.path;

const dir = mkdtempSync(join(tmpdir(), 'hclab-electron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Bridge = Record<string, (params?: unknown) => Promise<unknown>>;

describe.skipIf(binary === null)('desktop app (Electron)', () => {
  it('opens a secured window whose bridge drives the service, and quits cleanly', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: binary!,
      args: [REPO],
      cwd: REPO,
      env: {
        ...('missing' in electron ? {} : electron.env),
        HCLAB_USER_DATA: join(dir, 'profile'),
      },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('hclab://app/index.html');

      // The preload exposes exactly one function per method plus onEvent, and nothing of Node.
      const exposed = await page.evaluate(() => {
        const g = globalThis as unknown as { hclab: Record<string, unknown> };
        return {
          keys: Object.keys(g.hclab).sort(),
          functions: Object.values(g.hclab).every((v) => typeof v === 'function'),
          require: typeof (globalThis as { require?: unknown }).require,
          process: typeof (globalThis as { process?: unknown }).process,
        };
      });
      expect(exposed.keys).toEqual([...METHOD_NAMES, 'onEvent'].sort());
      expect(exposed.functions).toBe(true);
      expect(exposed.require).toBe('undefined');
      expect(exposed.process).toBe('undefined');

      const path = join(dir, 'desktop.hclab');
      const reply = await page.evaluate(
        (p) => (globalThis as unknown as { hclab: Bridge }).hclab['project.create']({ path: p }),
        path,
      );
      expect(reply).toMatchObject({ result: { path, readOnly: false } });

      // Navigation away from the app is refused; window.open is denied.
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          open(url: string): unknown;
          location: { href: string };
        };
        g.open('https://example.com/');
        g.location.href = 'https://example.com/';
      });
      await page.evaluate(() => 1); // a round trip: the navigation would have started by now
      expect(page.url()).toBe('hclab://app/index.html');
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }

    // Quitting closed the project: it is no longer locked.
    const service = createApiService({});
    await service.handle('project.open', { path: join(dir, 'desktop.hclab') });
    await service.close();
  });
});
