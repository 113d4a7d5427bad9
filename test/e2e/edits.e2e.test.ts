/**
 * End-to-end: the workbench never loses an edit (Debian's Chromium against `hclab serve`), as a
 * researcher does it: rename an experiment and run it (both experiments kept), duplicate and
 * delete experiments and runs, delete a VM that experiments use (the dialog lists them), two
 * tabs editing one VM (live update, then a refused stale save that reloads showing what
 * changed), an .xz trace imported with options (and a failed import that keeps the VM's
 * workload), and the server killed mid-run (banner, controls disabled; a restarted server's new
 * token is explained). Traces are generated here (no reference data). Screenshots go to
 * test-results/e2e/edits-*.png.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const RENDERER = join(ROOT, 'dist/renderer/index.html');
const SHOTS = join(ROOT, 'test-results/e2e');

function hasXz(): boolean {
  try {
    execFileSync('xz', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function skipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!existsSync(CLI) || !existsSync(RENDERER)) return 'the build is missing (run npm run build)';
  if (!hasXz()) return 'the xz command is missing (apt-get install xz-utils)';
  return null;
}
const reason = skipReason();
if (reason !== null) console.warn(`skipping the edits end-to-end test: ${reason}`);

/** MSR lines: request k touches 8 KiB at byte (1000 + k % 7) × 4096 of disk k % 2, 0.5 s apart. */
function msrTrace(requests: number): string {
  const t0 = 128166372000000000;
  const lines: string[] = [];
  for (let k = 0; k < requests; k++)
    lines.push(
      `${t0 + k * 5_000_000},hm,${k % 2},${k % 3 === 0 ? 'Write' : 'Read'},${(1000 + (k % 7)) * 4096},8192,100`,
    );
  return `${lines.join('\n')}\n`;
}

describe.skipIf(reason !== null)('never lose an edit (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let env: NodeJS.ProcessEnv;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let projectPath: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-edits-'));
    mkdirSync(SHOTS, { recursive: true });
    env = {
      ...process.env,
      HCLAB_RECENT_FILE: join(dir, 'recent.json'),
      XDG_CONFIG_HOME: join(dir, 'config'),
    };
    server = await startServer(env, ['--root', dir]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function watchErrors(p: Page): void {
    p.on('pageerror', (e) => pageErrors.push(e.message));
    // Refused requests (conflicts, bad traces, the dead server) log "Failed to load resource".
    p.on('console', (m) => {
      if (
        m.type() === 'error' &&
        !m.text().startsWith('Failed to load resource') &&
        !m.text().includes('WebSocket connection')
      )
        pageErrors.push(m.text());
    });
  }

  async function shot(p: Page, name: string): Promise<void> {
    await p.screenshot({ path: join(SHOTS, `edits-${name}.png`), animations: 'disabled' });
  }

  async function saved(p: Page): Promise<void> {
    await p
      .getByTestId('vm-save-status')
      .filter({ hasText: 'All changes saved' })
      .waitFor({ timeout: 30_000 });
  }

  async function setV(p: Page, value: string): Promise<void> {
    const v = p.getByLabel('Guest memory V (pages)');
    await v.fill(value);
    await v.press('Tab');
  }

  function queueRows(p: Page) {
    return p.getByTestId('run-queue').locator('tbody tr');
  }

  async function waitDone(p: Page, count: number): Promise<void> {
    try {
      await p
        .getByTestId('run-queue')
        .locator('[data-state="done"]')
        .nth(count - 1)
        .waitFor({ timeout: 120_000 });
    } catch (err) {
      await shot(p, `failed-wait-done-${count}`);
      throw err;
    }
  }

  it('rename and run keeps both experiments; duplicate and delete experiments and runs', async () => {
    await page.goto(server.url);
    projectPath = join(dir, 'edits.hclab');
    await page.getByLabel('New project file path').fill(projectPath);
    await page.getByTestId('create-project').click();
    await page.getByRole('heading', { name: 'VMs & workloads' }).waitFor();
    for (const name of ['vm1', 'vm2']) {
      await page.getByTestId('add-vm').click();
      await page.getByTestId(`vm-item-${name}`).waitFor();
      await saved(page);
    }

    await page.getByTestId('nav-experiments').click();
    await page.getByLabel('Experiment name').fill('baseline');
    expect(await page.getByTestId('run-hint').textContent()).toContain(
      "saves the new experiment 'baseline'",
    );
    await page.getByTestId('run-experiment').click();
    await waitDone(page, 1);

    // Edit the experiment, rename it and press Run: a new experiment, the original kept.
    await page.getByRole('checkbox', { name: 'shards' }).uncheck({ force: true });
    await page.getByLabel('Experiment name').fill('without-shards');
    expect(await page.getByTestId('run-hint').textContent()).toContain(
      "'baseline' is kept unchanged",
    );
    await page.getByTestId('run-experiment').click();
    await waitDone(page, 2);
    const saved1 = page.getByTestId('saved-experiments');
    await saved1.getByTestId('experiment-item-without-shards').waitFor();
    await saved1.getByTestId('experiment-item-baseline').waitFor();
    // The original still has every method.
    await saved1.getByRole('button', { name: 'Edit baseline' }).click();
    expect(await page.getByRole('checkbox', { name: 'shards' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Experiment name').inputValue()).toBe('baseline');
    // Its runs: two, of two experiments.
    expect(await queueRows(page).count()).toBe(2);
    expect(await queueRows(page).allTextContents()).toEqual([
      expect.stringContaining('without-shards'),
      expect.stringContaining('baseline'),
    ]);

    // Save edits in place only when asked; Save as new and Duplicate make new ones.
    await page.getByLabel('Sizes (pages)').fill('64, 128, 256');
    await page.getByTestId('save-experiment').click();
    await page.getByTestId('experiment-notice').getByText("Saved 'baseline'").waitFor();
    await page.getByLabel('Experiment name').fill('baseline-small');
    await page.getByTestId('save-experiment-as-new').click();
    await page.getByTestId('experiment-notice').getByText("'baseline' is kept").waitFor();
    await saved1.getByRole('button', { name: 'Duplicate baseline-small' }).click();
    await saved1.getByTestId('experiment-item-baseline-small-copy').waitFor();
    expect(await saved1.locator('li').count()).toBe(4);

    // Delete an experiment (its runs are kept) and a run (its results go, after a confirmation).
    await saved1.getByRole('button', { name: 'Delete experiment baseline-small-copy' }).click();
    await page.getByText('Its settings are lost. It has no runs.').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await saved1.getByTestId('experiment-item-baseline-small-copy').waitFor({ state: 'detached' });
    expect(await saved1.locator('li').count()).toBe(3);
    const oldest = queueRows(page).nth(1);
    const oldestId = (await oldest.getAttribute('data-testid'))!.replace('run-row-', '');
    await page.getByRole('button', { name: `Delete run ${oldestId}` }).click();
    const confirm = page.getByTestId(`run-delete-confirm-${oldestId}`);
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('stored results (2 of 2 VMs)');
    await shot(page, '01-delete-run-confirm');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId(`run-row-${oldestId}`).waitFor({ state: 'detached' });
    expect(await queueRows(page).count()).toBe(1);
    await shot(page, '02-experiments');
  }, 240_000);

  it('deleting a VM that experiments use lists them; cancel keeps it, confirm removes it from them', async () => {
    await page.getByTestId('nav-vms').click();
    await page.getByRole('button', { name: 'Delete VM vm2' }).click();
    const dialog = page.getByTestId('vm-delete-confirm-vm2');
    await dialog.waitFor();
    const text = await dialog.textContent();
    for (const name of ['baseline', 'without-shards', 'baseline-small'])
      expect(text).toContain(name);
    await shot(page, '03-vm-delete-dialog');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('vm-item-vm2').count()).toBe(1);

    await page.getByRole('button', { name: 'Delete VM vm2' }).click();
    await page.getByRole('button', { name: 'Remove from experiments and delete' }).click();
    await page.getByTestId('vm-notice').getByText("VM 'vm2' deleted").waitFor();
    expect(await page.getByTestId('vm-item-vm2').count()).toBe(0);

    // The experiments now name vm1 only; no dead VM stays selected.
    await page.getByTestId('nav-experiments').click();
    await page.getByRole('button', { name: 'Edit without-shards' }).click();
    expect(await page.getByRole('checkbox', { name: 'vm1' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'vm2' }).count()).toBe(0);
    expect(await page.locator('.exp-form').textContent()).not.toContain('vm2');
    await page.getByTestId('run-experiment').click();
    await waitDone(page, 2);
    expect(await page.getByTestId('run-queue').locator('[data-state="failed"]').count()).toBe(0);
  }, 180_000);

  it('two tabs: the idle tab follows; a stale save is refused and the form shows what changed', async () => {
    await page.getByTestId('nav-vms').click();
    await page.getByTestId('vm-item-vm1').click();
    const other = await context.newPage();
    watchErrors(other);
    await other.goto(`${server.url}#/vms`);
    await other.getByTestId('vm-item-vm1').click();
    await other.getByLabel('Guest memory V (pages)').waitFor();

    // Tab 1 changes V; tab 2 (no edits of its own) shows the new value at once.
    await setV(page, '900');
    await saved(page);
    await other.getByTestId('vm-remote-change').getByText('guestPages: 1024 → 900').waitFor();
    expect(await other.getByLabel('Guest memory V (pages)').inputValue()).toBe('900');
    await shot(other, '04-second-tab-updated');

    // Tab 2 starts an edit (not yet valid, so not saved); tab 1 saves V = 1500 meanwhile.
    await setV(other, '-5');
    await other.getByTestId('vm-save-status').getByText('Not saved').waitFor();
    await setV(page, '1500');
    await saved(page);
    // Tab 2 finishes its edit: its save is based on a stale revision and refused.
    await setV(other, '700');
    const conflict = other.getByTestId('vm-remote-change');
    await conflict.getByText('another window changed this VM').waitFor();
    expect(await conflict.textContent()).toContain('guestPages: 900 → 1500');
    expect(await conflict.textContent()).toContain('guestPages: 1500 → 700');
    expect(await other.getByLabel('Guest memory V (pages)').inputValue()).toBe('1500');
    await shot(other, '05-second-tab-conflict');
    // Nothing was overwritten.
    await page.reload();
    await page.getByTestId('vm-item-vm1').click();
    expect(await page.getByLabel('Guest memory V (pages)').inputValue()).toBe('1500');
    await other.close();
  }, 120_000);

  it('imports an .xz trace with options, previewing its own ids; a failed import keeps the workload', async () => {
    const file = join(dir, 'hm_0.csv');
    writeFileSync(file, msrTrace(40));
    execFileSync('xz', ['-k', file]);
    await page.getByTestId('add-vm').click();
    await page.getByTestId('vm-item-vm2').waitFor();
    await saved(page);
    await page.getByRole('radio', { name: 'Trace file' }).check({ force: true });
    await page.getByTestId('trace-pending-note').getByText('zipf generator').waitFor();
    const options = page.getByTestId('trace-import-options');
    await options.getByLabel('Format').selectOption('msr');
    await options.getByLabel('Byte ranges').selectOption('nosplit');
    await options.getByLabel('Page size (bytes)').fill('8192');
    await options.getByLabel('Skip (references)').fill('4');
    await options.getByLabel('Limit (references)').fill('10');
    await options.getByLabel('Warm-up (references)').fill('3');
    await options.getByLabel('Warm-up (references)').press('Tab');
    await page.getByLabel('Import a trace file into the project').setInputFiles(`${file}.xz`);
    await page.getByTestId('trace-format').getByText('msr').waitFor({ timeout: 60_000 });
    await saved(page);
    // The trace's own 8 KiB page numbers of requests 4..13 (offsets (1000 + k % 7) × 4096).
    const ids = await page.getByTestId('trace-record-id').allTextContents();
    const expected = Array.from({ length: 10 }, (_, i) =>
      String(Math.floor(((1000 + ((i + 4) % 7)) * 4096) / 8192)),
    );
    expect(ids).toEqual(expected);
    expect(await page.getByTestId('trace-read-as').textContent()).toContain('one page per request');
    expect(await page.getByTestId('vm-item-vm2').textContent()).toContain('trace embedded:');
    await page.getByTestId('trace-preview').scrollIntoViewIfNeeded();
    await shot(page, '06-import-xz-options');

    // A file no format matches: the error asks to choose a format; the VM keeps its trace.
    const mystery = join(dir, 'mystery.bin');
    writeFileSync(mystery, Buffer.from([0, 1, 2, 3, 255, 254, 7, 9, 0, 0, 1, 1]));
    await options.getByLabel('Format').selectOption('');
    await page.getByLabel('Import a trace file into the project').setInputFiles(mystery);
    const error = page.getByTestId('trace-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('choose a format: txt, csv');
    expect(await error.textContent()).not.toContain('--format');
    expect(await page.getByTestId('trace-error-kept').textContent()).toContain(
      'the VM keeps the trace embedded:',
    );
    expect(await page.getByTestId('vm-item-vm2').textContent()).toContain('trace embedded:');
    await error.scrollIntoViewIfNeeded();
    await shot(page, '07-import-failed');

    // The shipped w106.trace.xz (raw uint32 block numbers), its first 100 000 references: the
    // preview shows its own block numbers (read here with the xz command).
    const w106 = join(ROOT, 'examples/traces/w106.trace.xz');
    const head = execFileSync('xz', ['-dc', w106], { maxBuffer: 64 * 2 ** 20 }).subarray(0, 40);
    const blocks = Array.from({ length: 10 }, (_, i) => String(head.readUInt32LE(4 * i)));
    await page.getByTestId('add-vm').click();
    await page.getByTestId('vm-item-vm3').waitFor();
    await saved(page);
    await page.getByRole('radio', { name: 'Trace file' }).check({ force: true });
    const opts = page.getByTestId('trace-import-options');
    await opts.getByLabel('Limit (references)').fill('100000');
    await opts.getByLabel('Limit (references)').press('Tab');
    await page.getByLabel('Import a trace file into the project').setInputFiles(w106);
    await page.getByTestId('trace-format').getByText('raw-u32').waitFor({ timeout: 120_000 });
    await saved(page);
    expect(await page.getByTestId('trace-record-id').allTextContents()).toEqual(blocks);
    expect(await page.getByTestId('trace-preview').textContent()).toContain('100,000');
    await page.getByTestId('trace-preview').scrollIntoViewIfNeeded();
    await shot(page, '07b-import-w106');
  }, 120_000);

  it('the server killed mid-run: banner, controls disabled; a restarted server explains the token', async () => {
    // A long run: one VM with many references.
    await page.getByTestId('vm-item-vm1').click();
    const refs = page.getByLabel('References');
    await refs.fill('400000000');
    await refs.press('Tab');
    await saved(page);
    await page.getByTestId('nav-experiments').click();

    // A run of the small trace VM, then the long one, cancelled after the first: the finished
    // VM's results open from the queue.
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByLabel('Experiment name').fill('trace-then-long');
    await page.getByRole('checkbox', { name: 'vm3' }).uncheck({ force: true });
    await page.getByRole('checkbox', { name: 'vm1' }).uncheck({ force: true });
    await page.getByRole('checkbox', { name: 'vm1' }).check({ force: true });
    await page.getByTestId('run-experiment').click();
    const progressText = page.getByTestId('active-runs').getByText('1 of 2 VMs done');
    await progressText.waitFor({ timeout: 60_000 });
    await page
      .getByTestId('active-runs')
      .getByRole('button', { name: /Cancel run/ })
      .click();
    const cancelled = page
      .getByTestId('run-queue')
      .locator('tr', { has: page.locator('[data-state="cancelled"]') });
    await cancelled.waitFor({ timeout: 30_000 });
    await cancelled.getByRole('button', { name: /Results of run/ }).click();
    await page.getByTestId('mrc-chart-vm2').locator('canvas').waitFor({ timeout: 30_000 });
    expect(await page.locator('main').textContent()).toContain('cancelled: 1 of 2 VMs finished');
    await shot(page, '08a-cancelled-run-results');

    await page.getByTestId('nav-experiments').click();
    await page.getByRole('button', { name: 'Edit without-shards' }).click();
    await page.getByTestId('run-experiment').click();
    await page
      .getByTestId('active-runs')
      .locator('[role="progressbar"]')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('active-runs').getByText('left').waitFor({ timeout: 60_000 });

    const port = new URL(server.url).port;
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    const banner = page.getByTestId('connection-banner');
    await banner.getByText('No connection to the HCLab server').waitFor({ timeout: 15_000 });
    expect(await page.locator('.shell').getAttribute('inert')).not.toBeNull();
    expect(await page.getByTestId('active-runs').textContent()).toContain(
      'progress unknown: no connection',
    );
    await banner.getByText(/attempt \d/).waitFor({ timeout: 15_000 });
    await shot(page, '08b-connection-lost');

    // The server comes back on the same port with a new token: the page says it is stale.
    server = await startServer(env, ['--root', dir, projectPath, '--port', port]);
    await banner
      .getByText('This page belongs to an earlier HCLab server')
      .waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('open the new URL');
    await shot(page, '09-stale-token');

    // The new URL works, and the run killed mid-way is interrupted and resumable.
    await page.goto(`${server.url}#/experiments`);
    await page.getByTestId('run-queue').locator('[data-state="interrupted"]').waitFor();
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
    const id = (await page
      .getByTestId('run-queue')
      .locator('tbody tr')
      .first()
      .getAttribute('data-testid'))!.replace('run-row-', '');
    await page.getByRole('button', { name: `Resume run ${id}` }).click();
    expect(await page.getByTestId('resume-note').textContent()).toContain(
      'from the start of its workload',
    );
    await shot(page, '10-resume-note');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
