/**
 * Writes the study's report: the project's data with the study (main/report collectReportData)
 * through the report writer (HTML, PDF, CSV, JSON, SVG, PNG). While the writer is not part of
 * this build, report.json alone is written (the same ReportData), so the study can be read back.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPORT_FORMATS,
  ReportDataSchema,
  type ReportData,
  type Study,
} from '../../shared/api/report.js';
import { collectReportData } from '../report/collect.js';
import { writeReport, type WrittenReport } from '../report/write-report.js';
import { hclabVersion } from '../service/provenance.js';
import type { ProjectStore } from '../store/project-store.js';

export interface StudyReportOptions {
  outDir: string;
  force: boolean;
  onProgress?(done: number, total: number, what: string): void;
  signal?: AbortSignal;
}

function notImplemented(err: unknown): boolean {
  return err instanceof Error && /not implemented/.test(err.message);
}

/** ReportData built here (only while collectReportData is a placeholder). */
function fallbackData(store: ProjectStore, projectPath: string, study: Study): ReportData {
  const cpus = os.cpus();
  return ReportDataSchema.parse({
    meta: {
      title: study.title,
      projectPath,
      projectName: store.name,
      generatedAt: new Date().toISOString(),
      hclabVersion: hclabVersion(),
      machine: {
        platform: process.platform,
        arch: process.arch,
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryBytes: os.totalmem(),
        node: process.version,
      },
    },
    runs: store.runs.latestPerExperiment().map((id) => store.runs.get(id)),
    analyses: store.analyses.list().map((a) => store.analyses.get(a.id)),
    study,
  });
}

export async function writeStudyReport(
  store: ProjectStore,
  projectPath: string,
  study: Study,
  opts: StudyReportOptions,
): Promise<WrittenReport> {
  let data: ReportData;
  try {
    data = collectReportData(store, { projectPath, study, title: study.title });
  } catch (err) {
    if (!notImplemented(err)) throw err;
    data = fallbackData(store, projectPath, study);
  }
  try {
    return await writeReport(data, {
      outDir: opts.outDir,
      formats: REPORT_FORMATS,
      force: opts.force,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
  } catch (err) {
    if (!notImplemented(err)) throw err;
    const file = path.join(opts.outDir, 'report.json');
    if (existsSync(file) && !opts.force)
      throw new Error(`${file}: a file with this name already exists (use --force to replace it)`, {
        cause: err,
      });
    const temp = path.join(opts.outDir, `.report.json.writing-${process.pid}`);
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`);
    renameSync(temp, file);
    return {
      files: [file],
      htmlFile: null,
      pdfFiles: [],
      notes: ['only report.json was written: the report writer is not part of this build'],
    };
  }
}
