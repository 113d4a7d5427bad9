/**
 * `hclab report` on a small real project (built CLI): the HTML in real Chromium (one MRC chart per
 * VM and run, every parameter, the allocation and crash sections, nothing fetched), report.json
 * against its schema, curves.csv against `hclab results --csv`, the PDFs' text and page counts,
 * the PNGs' size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportDataSchema } from '../../shared/api/report.js';
import { hclab } from '../cli/run-cli.js';
import { CHROMIUM, launchChromium } from '../e2e/serve.js';
import { EXPERIMENT_NAME, makeProject, type Fixture } from './fixture.js';

let fx: Fixture;
let out: string;
let report: { status: number | null; stdout: string; stderr: string };
let browser: Browser | null = null;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hclab-report-'));
  fx = await makeProject(dir);
  out = path.join(dir, 'out');
  mkdirSync(out);
  report = hclab(['report', fx.project, '--out', out, '--run', '1', '--run', '2']);
});

afterAll(async () => {
  await browser?.close();
  if (fx !== undefined) rmSync(fx.dir, { recursive: true, force: true });
});

const havePoppler = spawnSync('pdftotext', ['-v']).error === undefined;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('hclab report', () => {
  it('writes every format and lists the files it wrote', () => {
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    const listed = report.stdout.trim().split('\n');
    const written = files(out).filter((f) => f !== 'figures');
    expect(listed.map((l) => path.relative(out, path.resolve(l))).sort()).toEqual(written);
    for (const f of [
      'report.html',
      'report.json',
      'report-A4.pdf',
      'report-Letter.pdf',
      'curves.csv',
      'run-1-errors.csv',
      'run-2-stats.csv',
      'run-2-parameters.csv',
      'alloc-1.csv',
      'crash-2.csv',
    ])
      expect(written).toContain(f);
    for (const run of [1, 2])
      for (const vm of ['gen', 'tr'])
        for (const ext of ['svg', 'png'])
          expect(written).toContain(path.join('figures', `run-${run}-mrc-${vm}.${ext}`));
    expect(written).toContain(path.join('figures', 'alloc-1-misses.svg'));
    expect(written).toContain(path.join('figures', 'crash-2-loss.svg'));
    expect(written).toContain(path.join('figures', 'crash-2-timeline.png'));
    // No temporary file is left.
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    console.log(`report files (${written.length}): ${written.join(' ')}`);
  });

  it('the HTML is self-contained and, in Chromium, shows one MRC per VM and run and every parameter', async () => {
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    // No http(s) reference at all (so no src/href/url() resource either).
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
    browser = await launchChromium();
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    expect(requests).toEqual([]);
    const mrc = await page.$$eval('svg[data-chart*="-mrc-"]', (els) =>
      els.map((e) => e.getAttribute('data-chart')),
    );
    expect(mrc.sort()).toEqual(['run-1-mrc-gen', 'run-1-mrc-tr', 'run-2-mrc-gen', 'run-2-mrc-tr']);
    // Every chart is drawn: a line per curve, markers V, V + C, V + C + G.
    const markers = await page.$$eval('svg[data-chart="run-1-mrc-gen"] g.marker text', (els) =>
      els.map((e) => e.textContent),
    );
    expect(markers).toEqual(['V', 'V + C', 'V + C + G']);
    expect(
      await page.$$eval('figure.chart', (els) =>
        els.every((f) => f.querySelector('figcaption')?.textContent?.includes('Figure')),
      ),
    ).toBe(true);

    const text = await page.locator('body').innerText();
    const run1 = await page.locator('#run-1').innerText();
    const rows = run1.split('\n');
    for (const [label, ...values] of [
      ['V (guest memory)', '200 pages'],
      ['C (hypervisor cache)', '100 pages'],
      ['G (ghost entries)', '200 pages'],
      ['V (guest memory)', '50 pages'],
      ['C (hypervisor cache)', '30 pages'],
      ['guest policy', 'lru'],
      ['writeback', 'delayed (dirty expire'],
      ['workload', 'zipf (', 'pages 1,500', 'refs 20,000', 'seed 3', 'writeFraction 0.3'],
      ['workload', `trace ${fx.tracePath}`],
      ['trace path', fx.tracePath],
      ['trace sha256', fx.traceSha256],
      ['trace bytes', `${fx.traceBytes.toLocaleString('en-US')} B`],
      ['references', `${fx.traceRefs.toLocaleString('en-US')} (`, 'reads', 'writes'],
      ['seeds', 'workload 3, admission', 'ESX'],
      ['admission failure', '0'],
      ['ESX sampling', 'period 2,000 refs', '50 samples', 'gains fast', 'seed'],
      ['SHARDS', 'fixed'],
      ['methods', 'exact, hypervisor, esx'],
      ['sizes', 'sizes,'],
      ['page size', '4,096 B'],
    ]) {
      const row = rows.find((l) => l.startsWith(label) && values.every((v) => l.includes(v)));
      expect(row, `${label} … ${values.join(' … ')}`).toBeDefined();
    }
    // The error table (per method: error, sizes compared, points, against which truth).
    for (const h of ['mean abs error', 'sizes compared', 'points', 'against'])
      expect(run1).toContain(h);
    expect(run1).toMatch(/gen\thypervisor\texact\t[\d.]+\t\d+/);
    // Simulation statistics.
    for (const h of [
      'hypervisor hits',
      'puts',
      'admission failures',
      'overhead (µs)',
      'disk reads',
    ])
      expect(run1).toContain(h);
    expect(await page.$$eval('#run-1 svg[data-chart^="run-1-esx-"]', (e) => e.length)).toBe(2);
    // Title page.
    expect(text).toContain('HCLab version');
    expect(text).toContain(os.cpus()[0]?.model.trim() ?? '');
    // Stored analyses.
    const alloc = await page.locator('#alloc-1').innerText();
    expect(alloc).toContain('Allocation #1');
    expect(alloc).toMatch(/exact\tyes\tgen\t[\d,]+/);
    expect(
      await page.$$eval('#alloc-1 svg[data-chart="alloc-1-misses"] rect', (e) => e.length),
    ).toBeGreaterThan(2);
    const crash = await page.locator('#crash-2').innerText();
    for (const s of ['os-delayed', 'write-through', 'hv-rescue', 'hv-log', 'CI 95 % low'])
      expect(crash).toContain(s);
    expect(
      await page.$$eval('#crash-2 svg[data-chart="crash-2-loss"] path.error-bar', (e) => e.length),
    ).toBeGreaterThan(0);
    expect(await page.$$eval('#crash-2 svg[data-chart="crash-2-timeline"]', (e) => e.length)).toBe(
      1,
    );
    await page.close();
  });

  it('report.json is the whole report data and validates', () => {
    const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as unknown;
    const parsed = ReportDataSchema.safeParse(json);
    expect(parsed.error).toBeUndefined();
    const data = parsed.data!;
    expect(data.runs.map((r) => r.id)).toEqual([1, 2]);
    expect(data.analyses.map((a) => a.kind)).toEqual(['alloc', 'crash']);
    expect(data.meta.projectName).toBe('p');
  });

  it('curves.csv is byte-identical to `hclab results --csv` (same runs), tables have their CSV', () => {
    const curves = readFileSync(path.join(out, 'curves.csv'), 'utf8');
    const a = hclab(['results', fx.project, '--csv', '--run', '1']);
    const b = hclab(['results', fx.project, '--csv', '--run', '2']);
    expect(a.status).toBe(0);
    expect(curves).toBe(a.stdout + b.stdout.split('\n').slice(1).join('\n'));
    // The default (latest run of each experiment) matches `hclab results --csv` exactly.
    const dflt = path.join(fx.dir, 'dflt');
    mkdirSync(dflt);
    expect(hclab(['report', fx.project, '--out', dflt, '--format', 'csv']).status).toBe(0);
    expect(readFileSync(path.join(dflt, 'curves.csv'), 'utf8')).toBe(
      hclab(['results', fx.project, '--csv']).stdout,
    );
    const stats = readFileSync(path.join(out, 'run-1-stats.csv'), 'utf8').trim().split('\n');
    expect(stats[0]).toMatch(/^vm,references,reads,writes,/);
    expect(stats[2].split(',').slice(0, 2)).toEqual(['tr', String(fx.traceRefs)]);
  });

  it.skipIf(!havePoppler)(
    'the PDFs hold the experiment names and axis labels; A4 and Letter',
    () => {
      for (const [paper, size] of [
        ['A4', /595\.\d+ x 841\.\d+|595\.\d+ x 842\.\d+/],
        ['Letter', /612 x 792/],
      ] as const) {
        const file = path.join(out, `report-${paper}.pdf`);
        const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
        expect(text).toContain(EXPERIMENT_NAME);
        for (const label of [
          'miss ratio',
          'memory size (pages of 4,096 B)',
          'pages lost per crash',
          'misses',
          'VM time (s)',
        ])
          expect(text).toContain(label);
        // No chart split across pages: each chart's title (drawn in the SVG) is on the page of
        // its caption ("Figure n. <title>.").
        const pages = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.split('\f');
        const titles = [1, 2].flatMap((r) =>
          ['gen', 'tr'].flatMap((v) => [
            `Miss ratio curves of ${v} (run #${r}`,
            `ESX working-set estimate of ${v} (run #${r}`,
          ]),
        );
        titles.push('Crash analysis #2: pages lost per crash', 'Crash analysis #2: dirty pages');
        for (const title of titles) {
          const counts = pages.map((p) => p.split(title).length - 1);
          expect(
            counts.reduce((a, b) => a + b),
            title,
          ).toBe(2);
          expect(
            counts.filter((c) => c > 0),
            `${title} on one page`,
          ).toEqual([2]);
        }
        // Charts stay vector: the PDF holds no raster image.
        const images = spawnSync('pdfimages', ['-list', file], { encoding: 'utf8' }).stdout;
        expect(images.trim().split('\n').slice(2)).toEqual([]);
        const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
        const count = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
        expect(count).toBeGreaterThan(2);
        expect(pages.filter((p) => p.trim() !== '')).toHaveLength(count);
        expect(info).toMatch(size);
        console.log(`report-${paper}.pdf: ${count} pages`);
      }
    },
  );

  it('PNGs are PNGs at twice the SVG size', () => {
    for (const f of readdirSync(path.join(out, 'figures')).filter((x) => x.endsWith('.png'))) {
      const png = readFileSync(path.join(out, 'figures', f));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const svg = readFileSync(path.join(out, 'figures', f.replace(/\.png$/, '.svg')), 'utf8');
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      const w = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
      const h = Number(/<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
      expect(png.readUInt32BE(16)).toBe(2 * w);
      expect(png.readUInt32BE(20)).toBe(2 * h);
    }
  });

  it('an unknown --run is one error naming it', () => {
    const dir = path.join(fx.dir, 'unknown');
    mkdirSync(dir);
    const r = hclab(['report', fx.project, '--out', dir, '--run', '99']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`hclab: ${fx.project}: no run with id 99`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(existsSync(CHROMIUM) === false)(
    'uses HCLAB_CHROMIUM; a wrong one is one clear line',
    () => {
      const dir = path.join(fx.dir, 'badchrome');
      mkdirSync(dir);
      const r = spawnSync(
        process.execPath,
        [path.resolve('dist/main/cli/hclab.js'), 'report', fx.project, '--out', dir],
        {
          encoding: 'utf8',
          env: { ...process.env, HCLAB_CHROMIUM: '/nonexistent/chrome' },
        },
      );
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        "hclab: HCLAB_CHROMIUM=/nonexistent/chrome: no executable there; set it to Chromium's path or unset it",
      ]);
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});
