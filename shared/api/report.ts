/**
 * Reports: the data a report is made of (one JSON document), the study findings it can carry,
 * and the chart description every report chart is drawn from. `hclab report`, `hclab demo` and
 * the app's "Export report…" all build a {@link ReportData} and hand it to main/report/, which
 * writes the HTML (inline SVG), PDF, CSV, JSON, SVG and PNG files.
 */
import { z } from 'zod';
import { AnalysisDetailSchema } from './analyses.js';
import { RunDetailSchema } from './entities.js';

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json', 'svg', 'png'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A table cell: text, a number (formatted for reading by the writer) or empty. */
const Cell = z.union([z.string(), z.number(), z.null()]);

export const ReportTableSchema = z.object({
  /** File-name stem of the table's CSV (sanitised by the writer), unique within the report. */
  id: z.string().min(1),
  caption: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(Cell)),
});
export type ReportTable = z.infer<typeof ReportTableSchema>;

export const ChartSeriesSchema = z.object({
  label: z.string(),
  /** [x, y] points; y null leaves a gap (a method undefined there). */
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
  style: z.enum(['line', 'dashed', 'step', 'points']).default('line'),
  /** '#rrggbb'; default: the renderer's palette by series index. */
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
  /** Line width in px (default: the renderer's). */
  width: z.number().positive().max(12).optional(),
  /** Bar charts: the half-width of a confidence interval per point (same order as points). */
  errors: z.array(z.number().nullable()).optional(),
});

/** A chart as data: a line chart (MRCs, time series) or grouped bars (allocations, losses). */
export const ChartSpecSchema = z.object({
  /** File-name stem of the chart's SVG/PNG (sanitised by the writer), unique within the report. */
  id: z.string().min(1),
  kind: z.enum(['line', 'bar']),
  title: z.string(),
  /** Shown under the chart: what it shows and how it was made. */
  caption: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  /** Bar charts: the category names (series points use x = category index). */
  categories: z.array(z.string()).optional(),
  /** Line charts: a logarithmic x axis (every x must be > 0; others are left out). */
  xLog: z.boolean().optional(),
  yMin: z.number().optional(),
  yMax: z.number().optional(),
  series: z.array(ChartSeriesSchema),
  /** Vertical markers, e.g. V, V + C, V + C + G on an MRC. */
  markers: z.array(z.object({ x: z.number(), label: z.string() })).default([]),
});
export type ChartSpec = z.infer<typeof ChartSpecSchema>;
export type ChartSpecInput = z.input<typeof ChartSpecSchema>;

/** One claim of the paper-replication study, with the evidence and a computed verdict. */
export const FindingSchema = z.object({
  /** Section number (1–6 in examples/paper/) and a short stable id ("overhead"). */
  section: z.number().int().positive(),
  id: z.string().min(1),
  title: z.string(),
  /** The claim as the paper makes it. */
  claim: z.string(),
  /** Computed from the numbers below, never written by hand. */
  held: z.boolean(),
  /** One sentence with the numbers that decided the verdict ("held: at most 4.1 % slower"). */
  verdict: z.string(),
  /** The figures the verdict was computed from, by name (asserted by the tests). */
  numbers: z.record(z.string(), z.number()),
  tables: z.array(ReportTableSchema).default([]),
  charts: z.array(ChartSpecSchema).default([]),
  /** Caveats: what holds by construction, what the stand-in workloads cannot show. */
  notes: z.array(z.string()).default([]),
});
export type Finding = z.infer<typeof FindingSchema>;
export type FindingInput = z.input<typeof FindingSchema>;

export const StudySchema = z.object({
  title: z.string(),
  quick: z.boolean(),
  wallSeconds: z.number().nonnegative(),
  findings: z.array(FindingSchema),
});
export type Study = z.infer<typeof StudySchema>;

export const MachineSchema = z.object({
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int(),
  cpuModel: z.string(),
  memoryBytes: z.number(),
  node: z.string(),
});

export const ReportDataSchema = z.object({
  meta: z.object({
    title: z.string(),
    /** The project file the report was made from (as given), and its name. */
    projectPath: z.string(),
    projectName: z.string(),
    generatedAt: z.string(),
    hclabVersion: z.string(),
    machine: MachineSchema,
  }),
  runs: z.array(RunDetailSchema),
  analyses: z.array(AnalysisDetailSchema),
  study: StudySchema.optional(),
  /** What was left out and why (a damaged run or analysis row), one line each. */
  notes: z.array(z.string()).optional(),
});
export type ReportData = z.infer<typeof ReportDataSchema>;

/** What the app asks for ("Export report…"): which runs, which formats, one zip or the HTML. */
export const ReportRequestSchema = z.object({
  /** Default: the latest run of each experiment. */
  runIds: z.array(z.number().int().positive()).max(1000).optional(),
  formats: z
    .array(z.enum(REPORT_FORMATS))
    .min(1)
    .default([...REPORT_FORMATS]),
  package: z.enum(['zip', 'html']).default('zip'),
});
export type ReportRequest = z.infer<typeof ReportRequestSchema>;
