/**
 * The data of a report, read from a project: the chosen runs (default: the latest run of each
 * experiment), every stored allocation and crash analysis, and the title page (project, date,
 * HCLab version, machine). Placeholder until the report writer lands.
 */
import type { ReportData, Study } from '../../shared/api/report.js';
import type { ProjectStore } from '../store/project-store.js';

export interface CollectOptions {
  projectPath: string;
  runIds?: readonly number[];
  study?: Study;
  title?: string;
}

export function collectReportData(_store: ProjectStore, _opts: CollectOptions): ReportData {
  throw new Error('collectReportData: not implemented yet');
}
