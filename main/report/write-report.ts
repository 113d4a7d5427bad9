/**
 * Writes a report into a folder: HTML (one self-contained file), PDF (A4 and Letter), CSV, JSON,
 * SVG and PNG, all under temporary names first and renamed at the end. Placeholder until the
 * report writer lands.
 */
import type { ReportData, ReportFormat } from '../../shared/api/report.js';

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
  _data: ReportData,
  _opts: WriteReportOptions,
): Promise<WrittenReport> {
  throw new Error('writeReport: not implemented yet');
}
