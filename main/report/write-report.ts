/**
 * Writes a report into a folder: HTML (one self-contained file), PDF (A4 and Letter), CSV, JSON,
 * SVG and PNG, all under temporary names first and renamed at the end (safe-write.ts).
 */
import path from 'node:path';
import { ReportDataSchema, type ReportData, type ReportFormat } from '../../shared/api/report.js';
import { NO_PDF_NOTE, planReportFiles, printFirst } from './build-files.js';
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

export async function writeReport(
  data: ReportData,
  opts: WriteReportOptions,
): Promise<WrittenReport> {
  const model = buildReportModel(ReportDataSchema.parse(data));
  const pdf = opts.pdf ?? null;
  const notes: string[] = [...(data.notes ?? [])];
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
