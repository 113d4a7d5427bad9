/**
 * End-to-end: every view of the workbench in Debian's Chromium against `hclab serve`, on the demo
 * project (`hclab demo --quick`: the paper study's experiments, runs, allocations and crash
 * analyses) with a small sweep collected into it — the screenshots the README shows. Each view is
 * checked to show its real content before it is photographed. The PNGs go to
 * test-results/screenshots/; with HCLAB_UPDATE_SCREENSHOTS=1 they also replace docs/screenshots/.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { e2eSkipReason, launchChromium, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const SHOTS = join(ROOT, 'test-results/screenshots');
const DOCS = join(ROOT, 'docs/screenshots');
const UPDATE = process.env.HCLAB_UPDATE_SCREENSHOTS === '1';

const reason = e2eSkipReason('screenshots');

const SWEEP = `name: policies-by-cache
workloads: ["preset:tpcc,pages=3000,refs=30000", "preset:tpch,pages=3000,refs=30000"]
policies: [lru, clock, arc]
guestPages: [1000]
hvPages: [500, 1500]
methods: [exact, hypervisor]
`;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.skipIf(reason !== null)('screenshots of every view (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-shots-'));
    mkdirSync(SHOTS, { recursive: true });
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    const cli = (args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], { env, stdio: 'ignore' });
    const demo = join(dir, 'demo');
    cli(['demo', '--quick', '--out', demo]);
    const project = join(demo, 'paper-study.hclab');
    const sweepFile = join(dir, 'sweep.yaml');
    writeFileSync(sweepFile, SWEEP);
    const sweepDir = join(dir, 'sweep');
    mkdirSync(sweepDir);
    cli(['--quiet', 'sweep', 'plan', sweepFile, '--out', sweepDir]);
    cli(['--quiet', 'sweep', 'run-task', sweepDir, '--index', '0', '--per', '12']);
    cli(['--quiet', 'sweep', 'collect', sweepDir, '--project', project]);
    server = await startServer(env, ['--root', dir, project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  async function show(label: RegExp): Promise<void> {
    await page.getByRole('button', { name: label }).first().click();
  }

  /** Picks the option of the view's first <select> whose text names the study's four services. */
  async function pickFourServices(): Promise<void> {
    const select = page.locator('select').first();
    const named = async () =>
      (await select.locator('option').allInnerTexts()).find((l) =>
        l.includes('paper-four-services'),
      );
    await expect.poll(named, { timeout: 30_000 }).toBeDefined();
    await select.selectOption({ label: (await named())! });
  }

  async function shoot(name: string, ready: Locator): Promise<void> {
    await ready.first().waitFor({ timeout: 60_000 });
    await ready.first().scrollIntoViewIfNeeded();
    // Charts animate in: let them settle before the picture.
    await page.waitForTimeout(800);
    const file = join(SHOTS, `${name}.png`);
    const png = await page.screenshot({ path: file, fullPage: false });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    if (UPDATE) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(file, join(DOCS, `${name}.png`));
    }
  }

  it('project', async () => {
    await show(/^Project$/);
    await expect.poll(() => page.getByTestId('project-name').innerText()).toContain('paper-study');
    await shoot('1-project', page.getByTestId('project-name'));
  });

  it('VMs & workloads', async () => {
    await show(/VMs/);
    const first = page.locator('[data-testid^="vm-item-"]').first();
    await first.click();
    await shoot('2-vms', page.locator('[data-testid^="vm-item-"]'));
  });

  it('experiments & runs', async () => {
    await show(/Experiments/);
    await page.locator('[data-testid^="experiment-item-"]').first().click();
    await shoot('3-experiments', page.getByTestId('run-queue'));
  });

  it('results: MRCs of every method with V, V + C, V + C + G', async () => {
    await show(/Results/);
    await pickFourServices();
    await expect.poll(() => page.getByText('paper-four-services').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
    await shoot('4-results', page.locator('canvas'));
  });

  it('allocation: a stored allocation reopened', async () => {
    await show(/Allocation/);
    // The static allocation without isolation (α = ∞): the one where the sources differ most.
    const open = page
      .getByTestId('stored-alloc')
      .locator('[data-testid^="stored-alloc-"]', { hasText: 'α = ∞' })
      .getByTestId('analysis-open');
    await open.click();
    await shoot('5-allocation', page.locator('[data-testid^="alloc-report-"]'));
  });

  it('crash recovery: a stored crash analysis reopened', async () => {
    await show(/Crash/);
    const open = page.getByTestId('stored-crash').getByTestId('analysis-open').last();
    await open.click();
    await shoot('6-crash', page.locator('[data-testid^="crash-report-"]'));
  });

  it('sweeps', async () => {
    await show(/Sweeps/);
    await expect.poll(() => page.getByTestId('sweep-chart').locator('canvas').count()).toBe(1);
    await shoot('7-sweeps', page.getByTestId('sweeps-table'));
    expect(pageErrors).toEqual([]);
  });
});
