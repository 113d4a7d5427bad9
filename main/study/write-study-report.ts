/**
 * Writes the study's report: the project's data with the study (main/report collectReportData:
 * the latest run of each experiment, every stored analysis) through the report writer — HTML,
 * PDF where a Chromium is found, CSV, JSON, SVG and PNG — safely into the output folder.
 */
import { REPORT_FORMATS, type Study } from '../../shared/api/report.js';
import { collectReportData } from '../report/collect.js';
import { systemPdfPrinter } from '../report/pdf/chromium-printer.js';
import { writeReport, type WrittenReport } from '../report/write-report.js';
import type { ProjectStore } from '../store/project-store.js';

export interface StudyReportOptions {
  outDir: string;
  force: boolean;
  onProgress?(done: number, total: number, what: string): void;
  signal?: AbortSignal;
}

export async function writeStudyReport(
  store: ProjectStore,
  projectPath: string,
  study: Study,
  opts: StudyReportOptions,
): Promise<WrittenReport> {
  const data = collectReportData(store, { projectPath, study, title: study.title });
  const pdf = systemPdfPrinter();
  try {
    return await writeReport(data, {
      outDir: opts.outDir,
      formats: REPORT_FORMATS,
      force: opts.force,
      pdf,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
  } finally {
    await pdf?.close();
  }
}
