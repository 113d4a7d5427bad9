/**
 * End-to-end (Debian Chromium against `hclab serve`): Results → Export report… → Export
 * downloads a zip whose report.html names the experiment and draws one MRC chart (inline SVG)
 * per VM, with report.json, the curves CSV, every chart as SVG and PNG, and the PDFs printed by
 * the server's Chromium; "HTML alone" downloads just the HTML. Screenshots go to
 * test-results/e2e/.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { e2eSkipReason, launchChromium, openWorkbench, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const SHOTS = join(ROOT, 'test-results/e2e');

const reason = e2eSkipReason('report export');

const VMS = ['web-tier', 'db-tier', 'batch'];
const EXPERIMENT = `name: tiered-services
vms:
  - name: web-tier
    workload: { kind: zipf, pages: 2000, alpha: 0.9, refs: 20000, seed: 3 }
    guestPages: 400
    hvPages: 400
    ghostPages: 800
  - name: db-tier
    workload: { kind: zipf, pages: 1500, alpha: 0.7, refs: 20000, seed: 4, writeFraction: 0.3 }
    guestPages: 300
    hvPages: 300
  - name: batch
    workload: { kind: zipf, pages: 800, alpha: 0.5, refs: 10000, seed: 5 }
    guestPages: 200
    hvPages: 200
methods: [exact, hypervisor, esx]
`;

interface Saved {
  name: string;
  bytes: Buffer;
}

describe.skipIf(reason !== null)('Export report… (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-report-'));
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(dir, 'tiers.yaml'), EXPERIMENT);
    const project = join(dir, 'lab.hclab');
    const env = { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') };
    execFileSync(
      process.execPath,
      [CLI, 'project', 'new', project, '--from', join(dir, 'tiers.yaml')],
      { env, stdio: 'ignore' },
    );
    execFileSync(process.execPath, [CLI, 'run', project, '--quiet'], { env, stdio: 'ignore' });
    server = await startServer(env, [project, '--root', dir]);
    browser = await launchChromium();
    ({ page, errors: pageErrors } = await openWorkbench(browser, server.url));
    await page.getByTestId('nav-project-name').filter({ hasText: 'lab' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Clicks Export in the dialog and returns the downloaded file (kept under exports/). */
  async function exportReport(dialog: Locator, busyShot?: string): Promise<Saved> {
    const downloaded = page.waitForEvent('download', { timeout: 120_000 });
    await dialog.getByTestId('report-export').click();
    // How the dialog looks while the report is built (for the docs; nothing asserted on time).
    if (busyShot !== undefined) await page.screenshot({ path: join(SHOTS, busyShot) });
    const download = await downloaded;
    const saved = {
      name: download.suggestedFilename(),
      bytes: readFileSync(await download.path()),
    };
    mkdirSync(join(SHOTS, 'exports'), { recursive: true });
    writeFileSync(join(SHOTS, 'exports', saved.name), saved.bytes);
    return saved;
  }

  it('downloads a zip of the whole report from the Results view', async () => {
    await page.getByTestId('nav-results').click();
    await page.getByTestId('mrc-chart-web-tier').locator('canvas').waitFor();
    await page.getByTestId('export-report').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('report-export').waitFor();
    // Defaults: every format, the latest run of each experiment, one zip.
    for (const f of ['html', 'pdf', 'csv', 'json', 'svg', 'png'])
      expect(
        await dialog.getByTestId(`report-format-${f}`).getAttribute('aria-checked'),
        `format ${f}`,
      ).toBe('true');
    expect(await dialog.getByTestId('report-runs-latest').locator('input').isChecked()).toBe(true);
    expect(await dialog.getByTestId('report-package-zip').locator('input').isChecked()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '60-report-dialog.png') });

    const zip = await exportReport(dialog, '60b-report-building.png');
    expect(zip.name).toBe('lab-report.zip');
    const entries = unzipSync(new Uint8Array(zip.bytes));
    const names = Object.keys(entries);
    expect(names).toContain('report.html');
    expect(names).toContain('report.json');
    expect(names.some((n) => /curves.*\.csv$/.test(n))).toBe(true);
    expect(names.some((n) => n.endsWith('.svg'))).toBe(true);
    expect(names.some((n) => n.endsWith('.png'))).toBe(true);
    // The server found Chromium (this test runs only where it exists): the PDFs are printed.
    const pdfs = names.filter((n) => n.endsWith('.pdf'));
    expect(pdfs.length).toBe(2);
    for (const p of pdfs) expect(strFromU8(entries[p].subarray(0, 5))).toBe('%PDF-');

    const html = strFromU8(entries['report.html']);
    expect(html).toContain('tiered-services');
    const charts = mrcCharts(html);
    expect(charts.sort()).toEqual([...VMS].sort());
    await dialog.getByTestId('report-done').waitFor();
    expect(await dialog.getByTestId('report-done').innerText()).toContain('Saved lab-report.zip');
    await page.screenshot({ path: join(SHOTS, '61-report-exported.png') });

    // How the report looks, opened on its own.
    const view = await page.context().newPage();
    await view.setContent(html);
    await view.screenshot({ path: join(SHOTS, '62-report-html.png'), fullPage: true });
    await view.close();
  }, 180_000);

  it('downloads the HTML alone when asked', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('report-package-html').click();
    await expect
      .poll(() => dialog.getByTestId('report-format-png').getAttribute('class'))
      .toContain('n-checkbox--disabled');
    const html = await exportReport(dialog);
    expect(html.name).toBe('lab-report.html');
    const text = html.bytes.toString('utf8');
    expect(text).toMatch(/^<!doctype html>/i);
    expect(mrcCharts(text).sort()).toEqual([...VMS].sort());
    expect(text).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'hidden' });
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

/** The VM of each MRC chart drawn inline in the HTML report (a <figure> holding an <svg>). */
function mrcCharts(html: string): string[] {
  return [
    ...html.matchAll(/<figure class="chart" id="fig-run-\d+-mrc-([A-Za-z0-9._-]+)"><svg[\s>]/g),
  ].map((m) => m[1]);
}
