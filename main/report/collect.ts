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

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/**
 * The report's data. Runs asked for by id must all be there (else an error naming the missing
 * one); by default a damaged run or analysis row is left out with a note, as `hclab results`
 * prints the rest of a project.
 */
export function collectReportData(store: ProjectStore, opts: CollectOptions): ReportData {
  const ids = opts.runIds ?? store.runs.latestPerExperiment();
  const seen = new Set<number>();
  const runs: RunDetail[] = [];
  const notes: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    try {
      runs.push(runOrError(store, id, opts.projectPath));
    } catch (err) {
      if (opts.runIds !== undefined || !(err instanceof ApiError) || err.code !== 'CORRUPT')
        throw err;
      notes.push(`left out: ${firstLine(err)}`);
    }
  }
  // Oldest first, as the project lists them.
  const analyses: AnalysisDetail[] = [];
  for (const a of [...store.analyses.list()].sort((x, y) => x.id - y.id)) {
    try {
      analyses.push(store.analyses.get(a.id));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notes.push(`left out: analysis ${a.id} (${a.kind}, ${a.title}): ${firstLine(err)}`);
    }
  }
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
  if (notes.length > 0) data.notes = notes;
  return data;
}
