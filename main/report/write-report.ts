/**
 * Writes a report into a folder: HTML (one self-contained file), PDF (A4 and Letter), CSV, JSON,
 * SVG and PNG, all under temporary names first and renamed at the end (safe-write.ts).
 */
import path from 'node:path';
import { ReportDataSchema, type ReportData, type ReportFormat } from '../../shared/api/report.js';
import { CancelledError } from '../engine/control.js';
import { NO_PDF_NOTE, planReportFiles, type PlannedFile } from './build-files.js';
import { buildReportModel } from './model.js';
import { checkTargets, writeFilesSafely } from './safe-write.js';

/** Prints an HTML document to PDF (headless Chromium in the CLI and web mode, Electron's
 * webContents.printToPDF in the app). */
export interface PdfPrinter {
  print(html: string, paper: 'A4' | 'Letter'): Promise<Uint8Array>;
  close?(): Promise<void>;
}

export interface WriteReportOptions {
  outDir: string;
  formats: readonly ReportFormat[];
  /** Replace existing files of the same names (default: refuse, naming the first). */
  force?: boolean;
  /** null: no PDF printer could be found (the HTML is still written and a note says how). */
  pdf?: PdfPrinter | null;
  onProgress?(done: number, total: number, what: string): void;
  signal?: AbortSignal;
}

export interface WrittenReport {
  /** Every file written, absolute paths. */
  files: string[];
  htmlFile: string | null;
  pdfFiles: string[];
  /** One line each: what could not be made and how to get it (e.g. no Chromium for the PDF). */
  notes: string[];
}

/**
 * Prints the PDFs of the plan first: a printer that fails (a Chromium that cannot start) leaves
 * the rest of the report to be written, with one note saying why there is no PDF.
 */
async function printFirst(
  plan: PlannedFile[],
  notes: string[],
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
    if (err instanceof CancelledError) throw err;
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

export async function writeReport(
  data: ReportData,
  opts: WriteReportOptions,
): Promise<WrittenReport> {
  const model = buildReportModel(ReportDataSchema.parse(data));
  const pdf = opts.pdf ?? null;
  const notes: string[] = [];
  if (opts.formats.includes('pdf') && pdf === null) notes.push(NO_PDF_NOTE);
  let plan = planReportFiles(model, opts.formats, pdf);
  // Refuse (existing file, missing folder) before the slow part.
  await checkTargets(opts.outDir, plan, opts.force === true);
  opts.onProgress?.(0, plan.length, 'printing');
  plan = await printFirst(plan, notes, opts.signal);
  const files = await writeFilesSafely(opts.outDir, plan, {
    force: opts.force,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  const abs = path.resolve(opts.outDir);
  return {
    files,
    htmlFile: plan.some((p) => p.name === 'report.html') ? path.join(abs, 'report.html') : null,
    pdfFiles: plan.filter((p) => p.format === 'pdf').map((p) => path.join(abs, p.name)),
    notes,
  };
}
