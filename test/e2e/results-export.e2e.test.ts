/**
 * End-to-end (Debian Chromium against `hclab serve`), as a researcher writing a paper: results
 * say how they were made (parameters, trace sha256, HCLab version); the MAE table states points
 * and sizes and shows "—" where a method has nothing to compare; a cancelled run's finished VM is
 * viewable; every chart exports as SVG (parsed: vector, no raster) and PNG (≥ 2× its CSS width),
 * curves and tables as CSV (header and row count checked), a run / allocation / crash result as
 * JSON; allocation and crash results are kept in the project, reopened after leaving the view,
 * compared and deleted. Screenshots go to test-results/e2e/.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { e2eSkipReason, launchChromium, openWorkbench, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const SHOTS = join(ROOT, 'test-results/e2e');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

const reason = e2eSkipReason('results/export');

// "small" holds its whole footprint (300 pages) in V = 512: the hypervisor sees no size where
// the exact curve still changes, so its MAE has 0 points and must read "—", never 0.
const EXPERIMENT = `name: mix
vms:
  - name: oltp
    workload: { kind: zipf, pages: 4000, alpha: 0.9, refs: 60000, seed: 3, writeFraction: 0.3 }
    guestPages: 1000
    hvPages: 1000
    ghostPages: 2000
  - name: small
    workload: { kind: zipf, pages: 300, alpha: 0.8, refs: 20000, seed: 5 }
    guestPages: 512
    hvPages: 256
  - name: traced
    workload: { trace: small-trace.txt }
    guestPages: 100
    hvPages: 100
    ghostPages: 200
methods: [exact, hypervisor, esx, shards]
`;

/** The few browser APIs used inside page.evaluate (the tests compile without the DOM lib). */
interface BrowserElement {
  localName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<BrowserElement> & Iterable<BrowserElement>;
}
interface BrowserGlobals {
  DOMParser: new () => {
    parseFromString(
      src: string,
      type: string,
    ): {
      documentElement: BrowserElement;
      getElementsByTagName(name: string): ArrayLike<unknown>;
    };
  };
  createImageBitmap(blob: Blob): Promise<{ width: number; height: number }>;
}

interface Saved {
  name: string;
  bytes: Buffer;
}

describe.skipIf(reason !== null)('results, exports and kept analyses (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let traceSha = '';
  /** Points of each VM's curves (rows of its curve CSV). */
  const curveRows = new Map<string, number>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-export-'));
    mkdirSync(SHOTS, { recursive: true });
    const trace = `${Array.from({ length: 6000 }, (_, i) => (i * 7919) % 700).join('\n')}\n`;
    writeFileSync(join(dir, 'small-trace.txt'), trace);
    traceSha = createHash('sha256').update(trace).digest('hex');
    writeFileSync(join(dir, 'mix.yaml'), EXPERIMENT);
    const project = join(dir, 'study.hclab');
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    execFileSync(
      process.execPath,
      [CLI, 'project', 'new', project, '--from', join(dir, 'mix.yaml')],
      {
        env,
        stdio: 'ignore',
      },
    );
    execFileSync(process.execPath, [CLI, 'run', project, '--quiet'], { env, stdio: 'ignore' });
    // A second run of the experiment that was cancelled after its first VM finished (as the
    // run manager leaves one): its finished VM must be viewable.
    const db = new Database(project);
    db.exec(`INSERT INTO runs (experiment_id, experiment_name, experiment, vms, state, steps_total, created_at, finished_at)
      SELECT experiment_id, experiment_name, experiment, vms, 'cancelled', steps_total, created_at, finished_at FROM runs WHERE id = 1;
      INSERT INTO run_results (run_id, step, vm_name, result, finished_at)
      SELECT 2, step, vm_name, result, finished_at FROM run_results WHERE run_id = 1 AND step = 0;`);
    for (const r of db
      .prepare('SELECT vm_name, result FROM run_results WHERE run_id = 1')
      .all() as {
      vm_name: string;
      result: string;
    }[]) {
      const curves = (JSON.parse(r.result) as { curves: { sizes: number[] }[] }).curves;
      curveRows.set(
        r.vm_name,
        curves.reduce((s, c) => s + c.sizes.length, 0),
      );
    }
    db.close();
    server = await startServer(env, [project]);
    browser = await launchChromium();
    ({ page, errors: pageErrors } = await openWorkbench(browser, server.url));
    await page.getByTestId('nav-project-name').filter({ hasText: 'study' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Clicks an export button and returns the downloaded file (also kept under exports/). */
  async function save(button: Locator): Promise<Saved> {
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = await download.path();
    const saved = { name: download.suggestedFilename(), bytes: readFileSync(path) };
    mkdirSync(join(SHOTS, 'exports'), { recursive: true });
    writeFileSync(join(SHOTS, 'exports', saved.name), saved.bytes);
    return saved;
  }

  /** How an exported SVG looks when opened on its own (a screenshot of it in Chromium). */
  async function renderSvg(svg: Saved, name: string): Promise<void> {
    const view = await page.context().newPage();
    await view.setContent(svg.bytes.toString('utf8').replace(/^<\?xml[^>]*>\s*/, ''));
    await view.locator('svg').screenshot({ path: join(SHOTS, name) });
    await view.close();
  }

  /** Parses the SVG in the browser: well-formed, an <svg> root, vector shapes, no raster. */
  async function checkSvg(svg: Saved, texts: string[]): Promise<void> {
    const text = svg.bytes.toString('utf8');
    const r = await page.evaluate((src) => {
      const doc = new (globalThis as unknown as BrowserGlobals).DOMParser().parseFromString(
        src,
        'image/svg+xml',
      );
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: root.localName,
        width: Number(root.getAttribute('width')),
        paths: root.querySelectorAll('path, rect, line, circle').length,
        images: root.querySelectorAll('image').length,
        texts: [...root.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      };
    }, text);
    expect(r.error).toBe(0);
    expect(r.root).toBe('svg');
    expect(r.images).toBe(0);
    expect(r.paths).toBeGreaterThan(10);
    expect(r.width).toBeGreaterThan(200);
    for (const t of texts) expect(r.texts.join('\n')).toContain(t);
  }

  /** A real PNG (signature, IHDR) at least twice as wide as the chart on screen; it decodes. */
  async function checkPng(png: Saved, cssWidth: number): Promise<void> {
    const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    expect([...png.bytes.subarray(0, 8)]).toEqual(sig);
    expect(png.bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = png.bytes.readUInt32BE(16);
    expect(width).toBeGreaterThanOrEqual(2 * Math.floor(cssWidth));
    const decoded = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await (globalThis as unknown as BrowserGlobals).createImageBitmap(
        new Blob([bytes], { type: 'image/png' }),
      );
      return bmp.width;
    }, png.bytes.toString('base64'));
    expect(decoded).toBe(width);
  }

  /** A screenshot of the whole view: the window grows to the content's height first. */
  async function shot(name: string): Promise<void> {
    const height = (await page.evaluate(
      'Math.max(...Array.from(document.querySelectorAll("body *")).map((e) => e.scrollHeight))',
    )) as number;
    await page.setViewportSize({ width: 1280, height: Math.min(Math.max(800, height), 5000) });
    await page.screenshot({ path: join(SHOTS, name) });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  function csvRows(saved: Saved): string[] {
    return saved.bytes.toString('utf8').trimEnd().split('\n');
  }

  it('results show how they were made, the MAE with points and "—", and export everything', async () => {
    await page.getByTestId('nav-results').click();
    const oltp = page.getByTestId('mrc-chart-oltp');
    await oltp.locator('canvas').waitFor();

    // MAE: points and sizes; "—" (never 0) where nothing could be compared.
    const none = page.getByTestId('mae-small-hypervisor');
    await expect.poll(() => none.innerText()).toMatch(/^—\s*0 points$/);
    const scored = await page.getByTestId('mae-oltp-hypervisor').innerText();
    expect(scored).toMatch(/^0\.\d{4}\s*[\d,]+ points, sizes [\d,]+–[\d,]+$/);
    // ESX is scored against the working set, not in the MAE table.
    expect(await page.getByTestId('mae-oltp-esx').count()).toBe(0);
    for (const cell of await page.getByTestId('mae-table').locator('td').allInnerTexts())
      expect(cell).not.toMatch(/^0\.0000\s*0 points/);

    // Parameters: one line per chart, the rest one click away.
    expect(await oltp.getByTestId('chart-params').innerText()).toContain(
      'V 1,000 · C 1,000 · G 2,000 pages · lru · delayed',
    );
    await page.getByTestId('run-params').locator('summary').click();
    const params = await page.getByTestId('run-params').innerText();
    expect(params).toContain(`sha256 ${traceSha}`);
    expect(params).toContain('small-trace.txt');
    expect(params).toContain(VERSION);
    expect(params).toMatch(
      /period 30 s, 100 samples, gains fast 0\.5 \/ slow 0\.1, current-period average gain [\d.]+ × \d+ updates\/period, scored with ε = 0\.05, seed 1/,
    );
    expect(params).toContain('fixed rate R = 0.01');
    expect(params).toMatch(/zipf \(pages 4,000, alpha 0.9, .*refs 60,000, seed 3/);
    await shot('30-results-params.png');

    // Chart exports: SVG (vector, with the V / V + C / V + C + G marks and the parameters).
    const svg = await save(oltp.getByTestId('export-svg'));
    expect(svg.name).toBe('study-run1-mix-oltp-mrc.svg');
    await checkSvg(svg, [
      'V',
      'V + C',
      'V + C + G',
      'memory size (pages)',
      'miss ratio',
      'exact',
      'V 1,000 · C 1,000 · G 2,000 pages',
      `HCLab ${VERSION}`,
    ]);
    await renderSvg(svg, '35-export-oltp-mrc-svg.png');
    const cssWidth = (await oltp.locator('canvas').boundingBox())!.width;
    const png = await save(oltp.getByTestId('export-png'));
    expect(png.name).toBe('study-run1-mix-oltp-mrc.png');
    await checkPng(png, cssWidth);
    const csv = await save(oltp.getByTestId('export-csv'));
    expect(csv.name).toBe('study-run1-mix-oltp-mrc.csv');
    const rows = csvRows(csv);
    expect(rows[0]).toBe('method,size,misses,miss_ratio');
    expect(rows).toHaveLength(1 + curveRows.get('oltp')!);
    expect(rows.filter((r) => r.startsWith('exact,'))).toHaveLength(curveRows.get('oltp')! / 4);

    // The unit switch: MiB on the axis (page size 4096: 1,000 pages = 3.91 MiB).
    await page.getByTestId('unit-switch').getByText('MiB').click();
    const mib = await save(oltp.getByTestId('export-svg'));
    await checkSvg(mib, ['memory size (MiB)']);
    await page.getByTestId('unit-switch').getByText('pages').click();

    // Table and run exports.
    const mae = await save(page.getByTestId('export-mae-csv'));
    expect(mae.name).toBe('study-run1-mix-mae.csv');
    const maeRows = csvRows(mae);
    expect(maeRows[0]).toBe('vm,method,mae,points,first_size,last_size,references');
    expect(maeRows).toHaveLength(1 + 3 * 2); // hypervisor and shards, three VMs
    expect(maeRows).toContain(maeRows.find((r) => r.startsWith('small,hypervisor,')) ?? 'missing');
    expect(maeRows.find((r) => r.startsWith('small,hypervisor,'))).toMatch(
      /^small,hypervisor,,0,,,/,
    );
    const runJson = await save(page.getByTestId('export-run-json'));
    expect(runJson.name).toBe('study-run1-mix-run.json');
    const run = JSON.parse(runJson.bytes.toString('utf8')) as {
      id: number;
      vms: unknown[];
      results: {
        name: string;
        provenance?: { hclabVersion: string; trace?: { sha256: string } };
      }[];
    };
    expect(run.id).toBe(1);
    expect(run.vms).toHaveLength(3);
    expect(run.results.find((r) => r.name === 'traced')?.provenance?.trace?.sha256).toBe(traceSha);

    // Hovering lists every method at that size (a screenshot to look at: the tooltip is drawn).
    const canvas = oltp.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.82, box.y + box.height * 0.5);
    await canvas.screenshot({ path: join(SHOTS, '38-results-tooltip.png') });
    await page.mouse.move(0, 0);

    // The ESX time series exports too.
    const esx = page.getByTestId('esx-chart-oltp');
    await checkSvg(await save(esx.getByTestId('export-svg')), ['estimate', 'fast EWMA']);
    await page.getByTestId('mrc-chart-oltp').scrollIntoViewIfNeeded();
    await shot('31-results-charts.png');
  }, 120_000);

  it('a cancelled run shows the VM that finished', async () => {
    await page.locator('#results-run-a').selectOption('2');
    await page.getByTestId('run-results-2').waitFor();
    const note = await page.getByTestId('run-state-note').innerText();
    expect(note).toContain('cancelled');
    expect(note).toMatch(/Showing the 1 of 3 VM\(s\) that finished \(small, traced did not\)/);
    await page
      .getByTestId('run-results-2')
      .getByTestId('mrc-chart-oltp')
      .locator('canvas')
      .waitFor();
    expect(
      await page.getByTestId('run-results-2').locator('[data-testid^="mrc-chart-"]').count(),
    ).toBe(1);
    await shot('32-results-cancelled-run.png');
  });

  it('allocations are kept: reopened after leaving the view, compared, exported, deleted', async () => {
    await page.getByTestId('nav-allocation').click();
    await page.locator('#alloc-run').selectOption('1');
    await page.getByLabel('Host memory M (pages)').fill('4000');
    await page.getByTestId('alloc-compute').click();
    await page.getByTestId('alloc-result-exact').waitFor({ timeout: 60_000 });
    await page.getByLabel('Host memory M (pages)').fill('2500');
    await page.getByTestId('alloc-compute').click();
    await page.getByTestId('alloc-report-2').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('alloc-params').innerText()).toContain('2,500 pages');

    // Leave and come back: both are listed; reopen #1 and compare #2 beside it.
    await page.getByTestId('nav-results').click();
    await page.getByTestId('nav-allocation').click();
    const stored = page.getByTestId('stored-alloc');
    await stored.getByTestId('stored-alloc-1').waitFor();
    expect(await stored.locator('tbody tr').count()).toBe(2);
    await stored.getByTestId('stored-alloc-1').getByTestId('analysis-open').click();
    await page.getByTestId('alloc-report-1').waitFor();
    await stored.getByTestId('stored-alloc-2').getByTestId('analysis-compare').click();
    await page.getByTestId('alloc-report-2').waitFor();
    expect(
      await page.getByTestId('alloc-report-1').getByTestId('alloc-params').innerText(),
    ).toContain('4,000 pages');
    await shot('33-allocation-compare.png');

    const report = page.getByTestId('alloc-report-1');
    const json = await save(report.getByTestId('export-alloc-json'));
    expect(json.name).toBe('study-alloc1-run1.json');
    const kept = JSON.parse(json.bytes.toString('utf8')) as {
      params: { memory: number };
      report: { memory: number; results: { allocations: unknown[] }[] };
    };
    expect(kept.params.memory).toBe(4000);
    expect(kept.report.memory).toBe(4000);
    const allocRows = kept.report.results.reduce((s, r) => s + r.allocations.length, 0);
    const table = await save(report.getByTestId('export-alloc-csv'));
    expect(csvRows(table)[0]).toBe(
      'source,feasible,vm,pages,predicted_misses,achieved_misses,baseline_pages,baseline_misses,limit,slack',
    );
    expect(allocRows).toBeGreaterThanOrEqual(3);
    expect(csvRows(table)).toHaveLength(1 + allocRows);
    const bars = report.getByTestId('alloc-bar-chart');
    const barsSvg = await save(bars.getByTestId('export-svg'));
    await checkSvg(barsSvg, ['baseline', 'memory (pages)']);
    await renderSvg(barsSvg, '36-export-alloc-bars-svg.png');
    await checkPng(
      await save(bars.getByTestId('export-png')),
      (await bars.locator('canvas').boundingBox())!.width,
    );

    // Delete #2 after confirming.
    await stored.getByTestId('stored-alloc-2').getByTestId('analysis-delete').click();
    await page.getByRole('button', { name: 'Delete', exact: true }).last().click();
    await expect.poll(() => stored.locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('alloc-report-2').count()).toBe(0);
  }, 180_000);

  it('crash analyses are kept, reopened and exported', async () => {
    await page.getByTestId('nav-crash').click();
    await page.getByTestId('crash-vm').selectOption('oltp');
    await page.getByTestId('crash-trials').fill('50');
    await page.getByTestId('crash-run').click();
    await page.getByTestId('crash-report-3').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('crash-params').innerText()).toContain(
      '50 trials (Poisson), seed 1',
    );

    await page.getByTestId('nav-vms').click();
    await page.getByTestId('nav-crash').click();
    const stored = page.getByTestId('stored-crash');
    await stored.getByTestId('stored-crash-3').getByTestId('analysis-open').click();
    const report = page.getByTestId('crash-report-3');
    await report.waitFor();
    const table = await save(report.getByTestId('export-crash-csv'));
    expect(table.name).toBe('study-crash3-oltp-table.csv');
    expect(csvRows(table)[0]).toMatch(/^strategy,trials,mean_pages_lost,ci95_low,ci95_high/);
    expect(csvRows(table)).toHaveLength(1 + 4);
    const json = JSON.parse(
      (await save(report.getByTestId('export-crash-json'))).bytes.toString('utf8'),
    ) as {
      params: { trials: number };
      vm: { name: string };
    };
    expect(json.params.trials).toBe(50);
    expect(json.vm.name).toBe('oltp');
    const loss = report.getByTestId('crash-loss-chart');
    const lossSvg = await save(loss.getByTestId('export-svg'));
    await checkSvg(lossSvg, ['pages lost per crash']);
    await renderSvg(lossSvg, '37-export-crash-loss-svg.png');
    const timeline = report.getByTestId('crash-timeline-chart');
    const tl = await save(timeline.getByTestId('export-csv'));
    expect(csvRows(tl)[0]).toBe('time_s,dirty_pages');
    await checkPng(
      await save(timeline.getByTestId('export-png')),
      (await timeline.locator('canvas').boundingBox())!.width,
    );
    await shot('34-crash-kept.png');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
