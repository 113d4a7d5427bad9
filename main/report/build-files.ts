/**
 * The files of a report, by name: report.html, report.json, curves.csv and one CSV per table,
 * figures/<id>.svg and .png per chart, report-A4.pdf and report-Letter.pdf. Planned first (names
 * only, so the writer can refuse before any work) and made one by one; also packed as one zip
 * for the app's "Export report…".
 */
import { zipSync } from 'fflate';
import { ReportDataSchema, type ReportData, type ReportFormat } from '../../shared/api/report.js';
import { CancelledError } from '../engine/control.js';
import { curvesCsv, tableCsv } from './csv.js';
import { renderReportHtml } from './html/render-html.js';
import { buildReportModel, type ReportModel } from './model.js';
import { checkRelativeName } from './names.js';
import { svgToPng } from './png.js';
import { renderChartSvg } from './svg/render-chart.js';
import type { PdfPrinter } from './write-report.js';

export interface ReportFile {
  /** Relative name inside the report folder: "report.html", "figures/run-1-mrc-a.svg". */
  name: string;
  bytes: Uint8Array;
}

export interface PlannedFile {
  name: string;
  format: ReportFormat;
  make(): Promise<Uint8Array> | Uint8Array;
}

export const PAPERS = ['A4', 'Letter'] as const;

/** The one line shown when a PDF was asked for and no printer (Chromium) was found. */
export const NO_PDF_NOTE =
  'no PDF: no Chromium was found; install chromium (or set HCLAB_CHROMIUM to its path) and run again, or print report.html from a browser';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The report data as JSON: infinities as "inf" (as project files keep them), two-space indent. */
export function reportJson(data: ReportData): string {
  return (
    JSON.stringify(
      data,
      (_k, v: unknown) =>
        v === Number.POSITIVE_INFINITY ? 'inf' : v === Number.NEGATIVE_INFINITY ? '-inf' : v,
      2,
    ) + '\n'
  );
}

/**
 * Every file of the report in the requested formats, by name, made on demand. PDFs only when a
 * printer is given. The names are checked to be plain relative names (no "..", no separators
 * beyond the figures/ folder).
 */
export function planReportFiles(
  model: ReportModel,
  formats: readonly ReportFormat[],
  pdf: PdfPrinter | null,
): PlannedFile[] {
  const want = new Set(formats);
  const plan: PlannedFile[] = [];
  let html: string | null = null;
  const htmlText = (): string => (html ??= renderReportHtml(model));
  if (want.has('html'))
    plan.push({ name: 'report.html', format: 'html', make: () => utf8(htmlText()) });
  if (want.has('pdf') && pdf !== null)
    for (const paper of PAPERS)
      plan.push({
        name: `report-${paper}.pdf`,
        format: 'pdf',
        make: () => pdf.print(htmlText(), paper),
      });
  if (want.has('json'))
    plan.push({ name: 'report.json', format: 'json', make: () => utf8(reportJson(model.data)) });
  if (want.has('csv')) {
    plan.push({ name: 'curves.csv', format: 'csv', make: () => utf8(curvesCsv(model.data.runs)) });
    for (const t of model.tables)
      plan.push({
        name: `${t.id}.csv`,
        format: 'csv',
        make: () => utf8(tableCsv(t.columns, t.rows)),
      });
  }
  for (const c of model.charts) {
    if (want.has('svg'))
      plan.push({
        name: `figures/${c.id}.svg`,
        format: 'svg',
        make: () => utf8(renderChartSvg(c, { standalone: true })),
      });
    if (want.has('png'))
      plan.push({
        name: `figures/${c.id}.png`,
        format: 'png',
        make: () => svgToPng(renderChartSvg(c, { standalone: true })),
      });
  }
  for (const p of plan) checkRelativeName(p.name);
  return plan;
}

/**
 * Prints the PDFs of the plan first: a printer that fails (a Chromium that cannot start) leaves
 * the rest of the report to be written, with one note saying why there is no PDF.
 */
export async function printFirst(
  plan: PlannedFile[],
  /** null: a printing failure is thrown, not noted. */
  notes: string[] | null,
  signal: AbortSignal | undefined,
): Promise<PlannedFile[]> {
  const pdfs = plan.filter((p) => p.format === 'pdf');
  if (pdfs.length === 0) return plan;
  const printed = new Map<string, Uint8Array>();
  try {
    for (const p of pdfs) {
      if (signal?.aborted) throw new CancelledError();
      printed.set(p.name, await p.make());
    }
  } catch (err) {
    if (err instanceof CancelledError || notes === null) throw err;
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
    notes.push(
      `no PDF: printing with Chromium failed (${why}); print report.html from a browser, or set HCLAB_CHROMIUM to a working Chromium`,
    );
    return plan.filter((p) => p.format !== 'pdf');
  }
  return plan.map((p) => {
    const bytes = printed.get(p.name);
    return bytes === undefined ? p : { ...p, make: () => bytes };
  });
}

/**
 * Every file of the report, made in memory (the app zips them or saves the HTML). `pdf` null, or
 * a printer that fails: no PDF files, and `opts.notes` (when given) gets one line saying how to
 * get them; without `opts.notes` a printing failure is thrown.
 */
export async function buildReportFiles(
  data: ReportData,
  formats: readonly ReportFormat[],
  pdf: PdfPrinter | null,
  opts: {
    signal?: AbortSignal;
    onProgress?(done: number, total: number, what: string): void;
    /** Receives the notes (no PDF and how to get it). */
    notes?: string[];
  } = {},
): Promise<ReportFile[]> {
  const model = buildReportModel(ReportDataSchema.parse(data));
  const notes = opts.notes ?? null;
  if (formats.includes('pdf') && pdf === null) notes?.push(NO_PDF_NOTE);
  const plan = await printFirst(planReportFiles(model, formats, pdf), notes, opts.signal);
  const files: ReportFile[] = [];
  for (const p of plan) {
    if (opts.signal?.aborted) throw new CancelledError();
    opts.onProgress?.(files.length, plan.length, p.name);
    files.push({ name: p.name, bytes: await p.make() });
  }
  opts.onProgress?.(files.length, plan.length, 'done');
  return files;
}

/** The files as one zip (names as given; already-compressed PNG and PDF stored, the rest deflated). */
export function zipReport(files: readonly ReportFile[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const f of files)
    entries[checkRelativeName(f.name)] = [f.bytes, { level: /\.(png|pdf)$/.test(f.name) ? 0 : 6 }];
  return zipSync(entries);
}
