/**
 * End-to-end: the Sweeps view in Debian's Chromium against `hclab serve`, on a project into which
 * a partly computed sweep was collected with the CLI: progress per sweep and a slice plotted
 * (miss ratio at V + C by policy for every workload) equal to the result files.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2eSkipReason, launchChromium, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');

const reason = e2eSkipReason('sweeps');

const SWEEP = `name: grid
workloads: ["loop:pages=600,refs=3000", "zipf:pages=2000,refs=6000"]
policies: [lru, fifo]
guestPages: [200]
hvPages: [100, 500]
methods: [exact, hypervisor]
allocation: { memory: [1500] }
`;

describe.skipIf(reason !== null)('sweeps view (web mode, Chromium)', () => {
  let dir: string;
  let sweepDir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-sweeps-'));
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    const file = join(dir, 'grid.yaml');
    writeFileSync(file, SWEEP);
    sweepDir = join(dir, 'out');
    mkdirSync(sweepDir);
    const cli = (args: string[]) =>
      execFileSync(process.execPath, [CLI, '--quiet', ...args], { env, stdio: 'ignore' });
    cli(['sweep', 'plan', file, '--out', sweepDir]);
    // 6 of the 8 curve tasks (the zipf/fifo ones are missing) and the lru allocation task
    // (t00008; t00009, fifo's, is missing).
    cli(['sweep', 'run-task', sweepDir, '--index', '0', '--per', '6']);
    cli(['sweep', 'run-task', sweepDir, '--index', '8']);
    const project = join(dir, 'study.hclab');
    cli(['sweep', 'collect', sweepDir, '--project', project]);
    server = await startServer(env, [project]);
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

  it('lists the sweep with its progress and plots miss ratio at V + C by policy', async () => {
    await page
      .getByRole('button', { name: /Sweeps/ })
      .first()
      .click();
    await page.getByTestId('sweeps-table').waitFor();
    expect(await page.getByTestId('sweep-progress').allInnerTexts()).toEqual(['6 / 8 tasks']);
    expect(await page.getByTestId('sweep-analyses').allInnerTexts()).toEqual(['1 allocation']);
    const chart = page.getByTestId('sweep-chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    const series = JSON.parse((await chart.getAttribute('data-series')) ?? '[]') as {
      name: string;
      values: (number | null)[];
    }[];
    // Default slice: the simulation under each policy, at V + C, V = 200, C = 500 (the
    // largest), G = 0: disk reads / references of each task.
    const expected = (id: string): number => {
      const f = JSON.parse(readFileSync(join(sweepDir, 'results', `${id}.json`), 'utf8')) as {
        result: { stats: { diskReads: number; references: number } };
      };
      return f.result.stats.diskReads / f.result.stats.references;
    };
    // Tasks: loop lru C100 t0, C500 t1; loop fifo t2, t3; zipf lru t4, t5; zipf fifo (missing).
    expect(series).toEqual([
      { name: 'lru', values: [expected('t00001'), expected('t00005')] },
      { name: 'fifo', values: [expected('t00003'), null] },
    ]);
    // The loop over 600 pages fits in 700: only its 600 cold misses of 3000 references.
    expect(series[0].values[0]).toBeCloseTo(0.2, 12);
    // The exact curve at V + C: the LRU stack, the same for both policies.
    await page.getByTestId('sweep-method').click();
    await page.getByText('exact', { exact: true }).click();
    const exact = JSON.parse((await chart.getAttribute('data-series')) ?? '[]') as typeof series;
    expect(exact[0].values[0]).toBeCloseTo(0.2, 12);
    expect(exact[1].values[0]).toBe(exact[0].values[0]);
    // The count links to the Allocation view, where the stored analyses are.
    await page.getByTestId('sweep-analyses').getByRole('link').click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/allocation');
    expect(pageErrors).toEqual([]);
  });
});
