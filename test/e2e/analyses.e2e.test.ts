/**
 * End-to-end: the Allocation and Crash recovery views in Debian's Chromium against
 * `hclab serve`, on a project made and run headless with the CLI (as a researcher scripting a
 * batch on a server and opening it in the UI afterwards).
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

const reason = e2eSkipReason('analyses');

describe.skipIf(reason !== null)('allocation and crash views (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-analyses-'));
    mkdirSync(SHOTS, { recursive: true });
    const project = join(dir, 'study.hclab');
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    execFileSync(
      process.execPath,
      [CLI, 'project', 'new', project, '--from', join(ROOT, 'examples/two-vms.yaml')],
      { env, stdio: 'ignore' },
    );
    execFileSync(process.execPath, [CLI, 'run', project, '--quiet'], { env, stdio: 'ignore' });
    server = await startServer(env, ['--root', dir, project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('allocates the run’s VMs from their MRCs and from ESX, and re-simulates', async () => {
    await page
      .getByRole('button', { name: /Allocation/ })
      .first()
      .click();
    // The form is filled from the run once it has loaded; type only after that.
    // (Polled from the test: a string for waitForFunction would be eval, which the CSP forbids.)
    await expect.poll(() => page.locator('#alloc-memory').inputValue()).not.toBe('0');
    await page.getByLabel('Host memory M (pages)').fill('8000');
    await page.getByTestId('alloc-compute').click();
    const exact = page.getByTestId('alloc-result-exact');
    await exact.waitFor({ timeout: 60_000 });
    await page.getByTestId('alloc-result-esx').waitFor();
    // One row per VM with pages, predicted and achieved misses, then the total.
    const rows = await exact.locator('tbody tr').all();
    const table = await Promise.all(rows.map((r) => r.locator('td').allInnerTexts()));
    const num = (s: string): number => Number(s.replace(/,/g, ''));
    expect(table.map((c) => c[0])).toEqual(['web', 'sprite', 'total']);
    const [web, cloud, total] = table;
    expect(num(web[1]) + num(cloud[1])).toBeLessThanOrEqual(8000);
    expect(num(total[1])).toBe(num(web[1]) + num(cloud[1]));
    // Re-simulated (achieved) misses are shown next to the predicted ones.
    expect(num(total[3])).toBe(num(web[3]) + num(cloud[3]));
    expect(num(web[3])).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '20-allocation.png'), fullPage: true });
  });

  it('runs crash trials: os-delayed loses pages, hv-log and write-through none', async () => {
    await page.getByRole('button', { name: /Crash/ }).first().click();
    await page.getByTestId('crash-trials').fill('100');
    await page.getByTestId('crash-run').click();
    const table = page.getByTestId('crash-table');
    await table.waitFor({ timeout: 60_000 });
    const byName = new Map<string, string[]>();
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allInnerTexts();
      byName.set(cells[0], cells);
    }
    expect([...byName.keys()]).toEqual(['os-delayed', 'write-through', 'hv-rescue', 'hv-log']);
    expect(Number(byName.get('os-delayed')![1].replace(/,/g, ''))).toBeGreaterThan(0);
    expect(byName.get('write-through')![1]).toBe('0');
    expect(byName.get('hv-log')![1]).toBe('0');
    for (const cells of byName.values()) expect(cells[6]).toBe('0'); // fsync'd lost
    await page.screenshot({ path: join(SHOTS, '21-crash.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
