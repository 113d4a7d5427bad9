/**
 * A report's contents, computed once from its {@link ReportData}: the study findings, one section
 * per run (parameters, MRC per VM, errors, ESX, statistics) and per stored analysis, each table
 * and chart with a unique, file-safe id — the same ids name the CSV, SVG and PNG files and the
 * HTML anchors.
 */
import type { AllocAnalysis, CrashAnalysis } from '../../shared/api/analyses.js';
import type { RunDetail } from '../../shared/api/entities.js';
import {
  ChartSpecSchema,
  type ChartSpec,
  type Finding,
  type ReportData,
  type ReportTable,
} from '../../shared/api/report.js';
import { allocChart, crashLossChart, crashTimelineChart } from './charts/analysis-charts.js';
import { esxChart, mrcChart } from './charts/run-charts.js';
import { StemAllocator } from './names.js';
import { allocOnlineTable, allocTable, crashTable } from './tables/analysis-tables.js';
import { runParamsTable } from './tables/run-params.js';
import { errorTable, esxScoreTable, statsTable } from './tables/run-tables.js';

export interface FindingSection {
  finding: Finding;
  tables: ReportTable[];
  charts: ChartSpec[];
}

export interface RunSection {
  run: RunDetail;
  params: ReportTable;
  /** One per VM with results, in run order. */
  mrcCharts: ChartSpec[];
  errors: ReportTable;
  esxScore: ReportTable | null;
  esxCharts: ChartSpec[];
  stats: ReportTable;
}

export interface AllocSection {
  analysis: AllocAnalysis;
  table: ReportTable;
  /** Online mode's per-controller summary, when computed. */
  online: ReportTable | null;
  chart: ChartSpec;
}

export interface CrashSection {
  analysis: CrashAnalysis;
  table: ReportTable | null;
  loss: ChartSpec | null;
  timeline: ChartSpec | null;
}

export interface ReportModel {
  data: ReportData;
  findings: FindingSection[];
  runs: RunSection[];
  allocs: AllocSection[];
  crashes: CrashSection[];
  /** Analyses that are not done (queued, failed…): listed, not drawn. */
  pending: ReportData['analyses'];
  /** Every table and chart, in report order, with unique ids. */
  tables: ReportTable[];
  charts: ChartSpec[];
}

export function buildReportModel(data: ReportData): ReportModel {
  // Tables name CSV files beside the fixed ones; charts name figures/*.svg and *.png.
  const tableStems = new StemAllocator();
  for (const fixed of ['report', 'report-A4', 'report-Letter', 'curves']) tableStems.take(fixed);
  const chartStems = new StemAllocator();
  const tables: ReportTable[] = [];
  const charts: ChartSpec[] = [];
  const table = <T extends ReportTable | null>(t: T): T => {
    if (t === null) return t;
    const named = { ...t, id: tableStems.take(t.id) } as T & ReportTable;
    tables.push(named);
    return named;
  };
  const chart = <T extends ChartSpec | null>(c: T): T => {
    if (c === null) return c;
    const named = { ...ChartSpecSchema.parse(c), id: chartStems.take(c.id) } as T & ChartSpec;
    charts.push(named);
    return named;
  };

  const findings = (data.study?.findings ?? []).map((f) => ({
    finding: f,
    tables: f.tables.map((t) => table({ ...t, id: `finding-${f.section}-${t.id}` })),
    charts: f.charts.map((c) => chart({ ...c, id: `finding-${f.section}-${c.id}` })),
  }));

  const runs = data.runs.map((run) => {
    const params = table(runParamsTable(run));
    const mrcCharts = run.results.map((r) => chart(mrcChart(run, r)));
    const errors = table(errorTable(run));
    const esxScore = table(esxScoreTable(run));
    const esxCharts = run.results
      .map((r) => chart(esxChart(run, r)))
      .filter((c): c is ChartSpec => c !== null);
    const stats = table(statsTable(run));
    return { run, params, mrcCharts, errors, esxScore, esxCharts, stats };
  });

  const allocs: AllocSection[] = [];
  const crashes: CrashSection[] = [];
  const pending: ReportData['analyses'] = [];
  for (const a of data.analyses) {
    if (a.kind === 'alloc' && a.state === 'done')
      allocs.push({
        analysis: a,
        table: table(allocTable(a)),
        online: table(allocOnlineTable(a)),
        chart: chart(allocChart(a)),
      });
    else if (a.kind === 'crash' && a.state === 'done' && a.report !== null)
      crashes.push({
        analysis: a,
        table: table(crashTable(a)),
        loss: chart(crashLossChart(a)),
        timeline: chart(crashTimelineChart(a)),
      });
    else pending.push(a);
  }
  return { data, findings, runs, allocs, crashes, pending, tables, charts };
}
