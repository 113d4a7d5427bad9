/**
 * The data of a report, read from a project: the chosen runs (default: the latest run of each
 * experiment), every stored allocation and crash analysis, and the title page (project, date,
 * HCLab version, machine).
 */
import os from 'node:os';
import type { AnalysisDetail } from '../../shared/api/analyses.js';
import type { RunDetail } from '../../shared/api/entities.js';
import { ApiError } from '../../shared/api/errors.js';
import type { ReportData, Study } from '../../shared/api/report.js';
import { hclabVersion } from '../service/provenance.js';
import type { ProjectStore } from '../store/project-store.js';

export interface CollectOptions {
  projectPath: string;
  runIds?: readonly number[];
  study?: Study;
  title?: string;
}

/** The machine the report was made on (title page). */
export function machineInfo(): ReportData['meta']['machine'] {
  const cpus = os.cpus();
  return {
    platform: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
  };
}

function runOrError(store: ProjectStore, id: number, projectPath: string): RunDetail {
  try {
    return store.runs.get(id);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NOT_FOUND')
      throw new ApiError('NOT_FOUND', `${projectPath}: no run with id ${id}`);
    throw err;
  }
}

export function collectReportData(store: ProjectStore, opts: CollectOptions): ReportData {
  const ids = opts.runIds ?? store.runs.latestPerExperiment();
  const seen = new Set<number>();
  const runs: RunDetail[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    runs.push(runOrError(store, id, opts.projectPath));
  }
  // Oldest first, as the project lists them.
  const analyses: AnalysisDetail[] = store.analyses
    .list()
    .map((a) => store.analyses.get(a.id))
    .sort((a, b) => a.id - b.id);
  const data: ReportData = {
    meta: {
      title: opts.title ?? `HCLab report: ${store.name}`,
      projectPath: opts.projectPath,
      projectName: store.name,
      generatedAt: new Date().toISOString(),
      hclabVersion: hclabVersion(),
      machine: machineInfo(),
    },
    runs,
    analyses,
  };
  if (opts.study !== undefined) data.study = opts.study;
  return data;
}
