/**
 * report.export: the app's "Export report…". The report's data and files (HTML, CSV, JSON, SVG,
 * PNG) are built in a job worker from the project file (off the event loop: PNG rendering is
 * heavy); the PDF is printed here by the host's printer (Electron or headless Chromium), then
 * everything is zipped (or the HTML returned alone) within {@link MAX_REPORT_BYTES}.
 */
import path from 'node:path';
import type { ReportFormat, ReportData } from '../../../shared/api/report.js';
import { MAX_REPORT_BYTES, type ReportExport } from '../../../shared/api/report-export.js';
import { ApiError } from '../../../shared/api/errors.js';
import { collectReportData } from '../../report/collect.js';
import {
  buildReportFiles,
  NO_PDF_NOTE,
  zipReport,
  type ReportFile,
} from '../../report/build-files.js';
import type { ProjectStore } from '../../store/project-store.js';
import type { Handlers, HandlerContext } from './context.js';

/** What the job worker builds: plain data (it crosses back from the worker thread). */
export interface ReportTask {
  runIds?: number[];
  /** Every format but the PDF (printed by the host afterwards). */
  formats: ReportFormat[];
}

export interface ReportParts {
  data: ReportData;
  files: ReportFile[];
}

/** Collects the report's data from the project and builds its files (no PDF). */
export async function buildReportParts(
  store: ProjectStore,
  projectPath: string,
  task: ReportTask,
): Promise<ReportParts> {
  const data = collectReportData(store, {
    projectPath,
    ...(task.runIds === undefined ? {} : { runIds: task.runIds }),
  });
  const files = task.formats.length === 0 ? [] : await buildReportFiles(data, task.formats, null);
  return { data, files };
}

/** BAD_INPUT naming every run id the project does not have. */
function checkRunIds(store: ProjectStore, runIds: readonly number[] | undefined): void {
  if (runIds === undefined) return;
  const known = new Set(store.runs.list().map((r) => r.id));
  const unknown = runIds.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new ApiError(
      'BAD_INPUT',
      `runIds: no run ${unknown.map((id) => `#${id}`).join(', ')} in the project (expected the id of a run in run.list)`,
    );
}

/** The PDF files, printed by the host's printer; a note instead when there is none or it fails. */
async function printPdf(
  ctx: HandlerContext,
  data: ReportData,
  notes: string[],
): Promise<ReportFile[]> {
  const printer = await ctx.pdfPrinter().catch((err: unknown) => {
    notes.push(`no PDF: the printer did not start (${messageOf(err)})`);
    return undefined;
  });
  if (printer === undefined) return [];
  if (printer === null) {
    notes.push(NO_PDF_NOTE);
    return [];
  }
  try {
    // A printer that fails leaves no PDF and one note (buildReportFiles says how to get it).
    return await buildReportFiles(data, ['pdf'], printer, { notes });
  } catch (err) {
    notes.push(`no PDF: printing failed (${messageOf(err)}); print report.html from a browser`);
    return [];
  } finally {
    await printer.close?.().catch(() => undefined);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `study.hclab` → `study-report`: letters, digits, dot, dash and underscore only. */
export function reportBaseName(projectPath: string): string {
  const stem = path.basename(projectPath).replace(/\.hclab$/i, '');
  const safe = stem
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 80);
  return `${safe === '' ? 'hclab' : safe}-report`;
}

function tooLarge(bytes: number, limit: number): ApiError {
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return new ApiError(
    'BAD_INPUT',
    `the report would be ${mib(bytes)}, over the ${mib(limit)} an export may be: choose fewer runs or formats, or write it to a folder with hclab report`,
  );
}

/** Refuses files that could not fit in `limit` even zipped (most of a report — PNG, PDF —
 * compresses little): before any more work. */
function checkRawSize(files: readonly ReportFile[], limit: number): void {
  const total = files.reduce((s, f) => s + f.bytes.length, 0);
  if (total > 2 * limit) throw tooLarge(total, limit);
}

/**
 * The file to hand over: the HTML alone (package 'html') or a zip of every file, named after
 * the project; BAD_INPUT when it would exceed `limit` bytes.
 */
export function packageReport(
  files: readonly ReportFile[],
  pkg: 'zip' | 'html',
  projectPath: string,
  notes: string[],
  limit: number = MAX_REPORT_BYTES,
): ReportExport {
  const base = reportBaseName(projectPath);
  let bytes: Uint8Array;
  let head: Omit<ReportExport, 'base64'>;
  if (pkg === 'html') {
    const html = files.find((f) => f.name.endsWith('.html'));
    if (html === undefined) throw new ApiError('INTERNAL', 'the report has no HTML file');
    bytes = html.bytes;
    head = { fileName: `${base}.html`, mimeType: 'text/html', files: [html.name], notes };
  } else {
    checkRawSize(files, limit);
    bytes = zipReport(files);
    head = {
      fileName: `${base}.zip`,
      mimeType: 'application/zip',
      files: files.map((f) => f.name),
      notes,
    };
  }
  if (bytes.length > limit) throw tooLarge(bytes.length, limit);
  return { ...head, base64: Buffer.from(bytes).toString('base64') };
}

export const reportHandlers: Handlers<'report.export'> = {
  'report.export': async (params, ctx) => {
    const store = ctx.store();
    checkRunIds(store, params.runIds);
    const wanted: ReportFormat[] = params.package === 'html' ? ['html'] : [...params.formats];
    const task: ReportTask = {
      ...(params.runIds === undefined ? {} : { runIds: params.runIds }),
      formats: wanted.filter((f) => f !== 'pdf'),
    };
    const parts = await ctx.jobs.run<ReportParts>({
      kind: 'report',
      project: store.path,
      params: task,
    });
    checkRawSize(parts.files, MAX_REPORT_BYTES); // before starting a printer
    // What the data left out (a damaged run or analysis row), then what could not be made.
    const notes: string[] = [...(parts.data.notes ?? [])];
    const files = [...parts.files];
    if (wanted.includes('pdf')) files.push(...(await printPdf(ctx, parts.data, notes)));
    return packageReport(files, params.package, store.path, notes);
  },
};
