/**
 * writeReport and buildReportFiles on report data with a study: findings first with their
 * verdicts, hostile names sanitised and kept inside the folder, no PDF printer → the HTML and
 * one note, cancellation leaves nothing, the zip holds every file.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { FindingSchema, type ReportData } from '../../shared/api/report.js';
import { machineInfo } from '../../main/report/collect.js';
import { NO_PDF_NOTE, buildReportFiles, zipReport } from '../../main/report/build-files.js';
import { writeReport, type PdfPrinter } from '../../main/report/write-report.js';
import { CancelledError } from '../../main/engine/control.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'hclab-write-report-'));
  dirs.push(d);
  return d;
}

const data: ReportData = {
  meta: {
    title: 'Study <b>report</b>',
    projectPath: '/x/p.hclab',
    projectName: 'p',
    generatedAt: '2026-01-01T00:00:00.000Z',
    hclabVersion: '9.9.9',
    machine: machineInfo(),
  },
  runs: [],
  analyses: [],
  study: {
    title: 'paper',
    quick: true,
    wallSeconds: 1.5,
    findings: [
      FindingSchema.parse({
        section: 2,
        id: 'no-extra-reads',
        title: 'No extra reads',
        claim: 'An LRU guest reads nothing more from disk.',
        held: true,
        verdict: 'held: 0 extra reads',
        numbers: { extraReads: 0 },
        tables: [
          {
            id: '../../evil name',
            caption: 'c',
            columns: ['a', 'b'],
            rows: [
              [1, 'x'],
              [2.5, null],
            ],
          },
        ],
        charts: [
          {
            id: '../../evil name',
            kind: 'line',
            title: 'T',
            caption: 'C',
            xLabel: 'x',
            yLabel: 'y',
            series: [
              {
                label: 's',
                points: [
                  [1, 2],
                  [2, 3],
                ],
              },
            ],
          },
        ],
      }),
      FindingSchema.parse({
        section: 3,
        id: 'mrc',
        title: 'MRC accuracy',
        claim: 'exact',
        held: false,
        verdict: 'did not hold: error 0.2',
        numbers: {},
      }),
    ],
  },
};

describe('writeReport', () => {
  it('findings first with their badges; hostile ids become safe names inside the folder', async () => {
    const dir = tmp();
    const w = await writeReport(data, {
      outDir: dir,
      formats: ['html', 'csv', 'svg', 'pdf'],
      pdf: null,
    });
    expect(w.notes).toEqual([NO_PDF_NOTE]);
    expect(w.pdfFiles).toEqual([]);
    expect(w.htmlFile).toBe(path.join(dir, 'report.html'));
    for (const f of w.files) expect(path.relative(dir, f).startsWith('..')).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([
      'curves.csv',
      'figures',
      'finding-2-evil-name.csv',
      'report.html',
    ]);
    expect(readdirSync(path.join(dir, 'figures'))).toEqual(['finding-2-evil-name.svg']);
    expect(readFileSync(path.join(dir, 'finding-2-evil-name.csv'), 'utf8')).toBe(
      'a,b\n1,x\n2.5,\n',
    );
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<title>Study &lt;b&gt;report&lt;/b&gt;</title>');
    expect(html.indexOf('id="findings"')).toBeGreaterThan(0);
    expect(html).toMatch(/2\. No extra reads <span class="badge held">HELD<\/span>/);
    expect(html).toMatch(/3\. MRC accuracy <span class="badge not-held">DID NOT HOLD<\/span>/);
    expect(html).toContain('held: 0 extra reads');
  });

  it('a PDF printer is asked for A4 and Letter', async () => {
    const papers: string[] = [];
    const pdf: PdfPrinter = {
      print: (html, paper) => {
        papers.push(paper);
        expect(html).toContain('<!DOCTYPE html>');
        return Promise.resolve(new TextEncoder().encode(`%PDF-${paper}`));
      },
    };
    const dir = tmp();
    const w = await writeReport(data, { outDir: dir, formats: ['pdf'], pdf });
    expect(papers).toEqual(['A4', 'Letter']);
    expect(w.notes).toEqual([]);
    expect(w.pdfFiles.map((f) => path.basename(f))).toEqual(['report-A4.pdf', 'report-Letter.pdf']);
    expect(readFileSync(path.join(dir, 'report-A4.pdf'), 'utf8')).toBe('%PDF-A4');
  });

  it('cancelled or failing half-way: nothing is left in the folder', async () => {
    const dir = tmp();
    const ac = new AbortController();
    await expect(
      writeReport(data, {
        outDir: dir,
        formats: ['html', 'json', 'csv', 'svg', 'png'],
        signal: ac.signal,
        onProgress: (done) => {
          if (done === 3) ac.abort();
        },
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a printer that fails: the rest is written and one note says why there is no PDF', async () => {
    const dir = tmp();
    const failing: PdfPrinter = {
      print: () => Promise.reject(new Error('printer on fire\nstack…')),
    };
    const w = await writeReport(data, { outDir: dir, formats: ['html', 'pdf'], pdf: failing });
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(w.pdfFiles).toEqual([]);
    expect(w.notes).toHaveLength(1);
    expect(w.notes[0]).toMatch(/^no PDF: printing with Chromium failed \(printer on fire\); /);
  });
});

describe('buildReportFiles / zipReport', () => {
  it('the zip holds every file byte for byte', async () => {
    const notes: string[] = [];
    const files = await buildReportFiles(data, ['html', 'json', 'csv', 'svg', 'png', 'pdf'], null, {
      notes,
    });
    expect(notes).toEqual([NO_PDF_NOTE]);
    const names = files.map((f) => f.name);
    expect(names).toContain('report.html');
    expect(names).toContain('report.json');
    expect(names).toContain('figures/finding-2-evil-name.png');
    const unzipped = unzipSync(zipReport(files));
    expect(Object.keys(unzipped).sort()).toEqual([...names].sort());
    for (const f of files)
      expect(Buffer.from(unzipped[f.name]).equals(Buffer.from(f.bytes))).toBe(true);
    expect(() => zipReport([{ name: '../x', bytes: new Uint8Array() }])).toThrow(
      /not a plain name/,
    );
  });
});
