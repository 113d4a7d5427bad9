/**
 * End-to-end: online allocation in the Allocation view (Debian's Chromium against `hclab serve`),
 * on the phase-changing example run headless with the CLI: the three controllers' totals and the
 * charts over time.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2eSkipReason, launchChromium, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const SHOTS = join(ROOT, 'test-results/e2e');

const reason = e2eSkipReason('online allocation');

describe.skipIf(reason !== null)('online allocation view (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-online-'));
    mkdirSync(SHOTS, { recursive: true });
    const project = join(dir, 'phases.hclab');
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    execFileSync(
      process.execPath,
      [CLI, 'project', 'new', project, '--from', join(ROOT, 'examples/online-phases.yaml')],
      { env, stdio: 'ignore' },
    );
    execFileSync(process.execPath, [CLI, 'run', project, '--quiet'], { env, stdio: 'ignore' });
    server = await startServer(env, [project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the oracle, hypervisor-online and ESX controllers and plots them over time', async () => {
    await page
      .getByRole('button', { name: /Allocation/ })
      .first()
      .click();
    await page.getByLabel('Host memory M (pages)').fill('3000');
    for (const vm of ['vm-a', 'vm-b', 'vm-c']) await page.getByLabel(`${vm} tolerance`).fill('inf');
    await page.getByTestId('alloc-online').click();
    await page.getByLabel('Online epoch (s)').fill('10');
    await page.getByTestId('alloc-compute').click();
    const panel = page.getByTestId('alloc-online-result');
    await panel.waitFor({ timeout: 60_000 });
    const num = (s: string): number => Number(s.replace(/,/g, ''));
    const total = async (c: string) =>
      num((await page.getByTestId(`alloc-online-${c}`).locator('td').allInnerTexts())[1]);
    const [oracle, hv, esx] = [
      await total('oracle'),
      await total('hypervisor'),
      await total('esx'),
    ];
    expect(oracle).toBeGreaterThan(0);
    expect(hv).toBeLessThanOrEqual(1.05 * oracle);
    expect(esx).toBeGreaterThan(oracle);
    await expect(
      panel.getByLabel('Page miss rate per epoch by controller', { exact: true }).count(),
    ).resolves.toBe(1);
    await expect(panel.getByLabel('Pages per VM per epoch', { exact: true }).count()).resolves.toBe(
      1,
    );
    const used = (await page.getByTestId('alloc-bounds-used').innerText()).replace(/\s+/g, ' ');
    expect(used).toMatch(/vm-a \[0, 3,000\], vm-b \[0, 3,000\], vm-c \[0, 3,000\]/);
    await page.screenshot({ path: join(SHOTS, '22-online-allocation.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
