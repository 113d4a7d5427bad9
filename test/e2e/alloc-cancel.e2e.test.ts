/**
 * End-to-end: the Allocation view shows the progress of a long allocation (a bar, the step being
 * computed, its percent) and its Cancel button stops it (Debian's Chromium against `hclab serve`).
 * The allocation is adaptive with 250 epochs of 2 × 25,000-quanta DPs: minutes of work, so the
 * cancel always comes first; nothing is timed.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2eSkipReason, launchChromium, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const SHOTS = join(ROOT, 'test-results/e2e');

const reason = e2eSkipReason('allocation cancel');

const EXPERIMENT = `name: two
vms:
  - name: a
    workload: { kind: uniform, pages: 200, refs: 5000, seed: 1 }
    guestPages: 100
    hvPages: 50
    tolerance: inf
  - name: b
    workload: { kind: uniform, pages: 200, refs: 5000, seed: 2 }
    guestPages: 100
    hvPages: 50
    tolerance: inf
methods: [exact]
`;

describe.skipIf(reason !== null)('allocation progress and cancel (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-cancel-'));
    mkdirSync(SHOTS, { recursive: true });
    const project = join(dir, 'cancel.hclab');
    writeFileSync(join(dir, 'two.yaml'), EXPERIMENT);
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    execFileSync(
      process.execPath,
      [CLI, 'project', 'new', project, '--from', join(dir, 'two.yaml')],
      {
        env,
        stdio: 'ignore',
      },
    );
    execFileSync(process.execPath, [CLI, 'run', project, '--quiet'], { env, stdio: 'ignore' });
    server = await startServer(env, ['--root', dir, project]);
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

  it('shows a progress bar with the step and percent, and Cancel stops the allocation', async () => {
    await page
      .getByRole('button', { name: /Allocation/ })
      .first()
      .click();
    const memory = page.getByLabel('Host memory M (pages)');
    await expect.poll(() => memory.isEnabled(), { timeout: 30_000 }).toBe(true);
    // 2 VMs × 25,000 quanta (the default problem-size limit), 250 epochs of 20 references.
    await memory.fill('24998');
    await page.getByLabel('Quantum q (pages)').fill('1');
    await page.getByTestId('alloc-adaptive').click();
    await page.getByLabel('Epoch length').fill('20');
    await page.getByLabel('Epoch unit').selectOption('refs');
    await page.getByTestId('alloc-compute').click();

    const text = page.getByTestId('alloc-progress-text');
    await expect
      .poll(async () => ((await text.count()) > 0 ? await text.innerText() : ''), {
        timeout: 60_000,
      })
      .toMatch(/^adaptive: allocating 250 epochs · \d+\.\d %/);
    const bar = page.getByRole('progressbar', { name: 'Progress of the allocation' });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, '23-allocation-progress.png'), fullPage: true });

    await page.getByTestId('alloc-cancel').click();
    await page.getByTestId('alloc-cancelled').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('alloc-progress').count()).toBe(0);
    expect(await page.getByTestId('alloc-error').count()).toBe(0);
    expect(await page.getByTestId('alloc-compute').isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
