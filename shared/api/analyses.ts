/**
 * Stored analyses: every allocation (`alloc.compute`) and crash-recovery result (`crash.run`)
 * computed in a writable project is kept in it with the parameters it was made with, like a run
 * (DESIGN.md §2 Allocation, Crash model). They are listed, reopened, compared and deleted.
 */
import { z } from 'zod';
import { VmSchema } from '../schema/vm.js';
import { AllocReportSchema, AllocRequestSchema } from './alloc.js';
import { CrashReportSchema, CrashRequestSchema } from './crash.js';

export const ANALYSIS_KINDS = ['alloc', 'crash'] as const;
/** Allocations are computed at once ('done'); crash analyses go through the run queue. */
export const ANALYSIS_STATES = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

export const AnalysisSummarySchema = z.object({
  id: z.number().int(),
  kind: z.enum(ANALYSIS_KINDS),
  /** What it is about: "run #3 oltp, M = 4,096 pages" or "VM web, 200 trials". */
  title: z.string(),
  createdAt: z.string(),
  /** The run an allocation was computed from (null once the run is deleted; crash: null). */
  runId: z.number().int().nullable(),
  /** The VM a crash analysis replayed (alloc: null). */
  vmName: z.string().nullable(),
  hclabVersion: z.string(),
  state: z.enum(ANALYSIS_STATES),
  error: z.string().nullable(),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummarySchema>;

const AllocAnalysisSchema = AnalysisSummarySchema.extend({
  kind: z.literal('alloc'),
  /** The request with every default filled in. */
  params: AllocRequestSchema,
  report: AllocReportSchema,
});
const CrashAnalysisSchema = AnalysisSummarySchema.extend({
  kind: z.literal('crash'),
  params: CrashRequestSchema,
  /** The VM as it was when the analysis ran (later edits do not change it). */
  vm: VmSchema,
  /** null until the analysis is done. */
  report: CrashReportSchema.nullable(),
});
export const AnalysisDetailSchema = z.discriminatedUnion('kind', [
  AllocAnalysisSchema,
  CrashAnalysisSchema,
]);
export type AnalysisDetail = z.infer<typeof AnalysisDetailSchema>;
export type AllocAnalysis = z.infer<typeof AllocAnalysisSchema>;
export type CrashAnalysis = z.infer<typeof CrashAnalysisSchema>;
