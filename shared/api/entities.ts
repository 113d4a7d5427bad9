/**
 * Entities that cross the API boundary: what a project holds (VMs, experiments, runs and their
 * results) and what the UI shows. Runtime schemas (zod) so every boundary validates them.
 */
import { z } from 'zod';
import { AllocationSchema, EsxSchema, ShardsSchema } from '../schema/experiment.js';
import { MRC_METHODS } from '../schema/defaults.js';
import { VmSchema } from '../schema/vm.js';

export const ProjectInfoSchema = z.object({
  /** Absolute path of the `.hclab` file. */
  path: z.string(),
  name: z.string(),
  readOnly: z.boolean(),
  schemaVersion: z.number().int(),
  /** Runs that were running when the app or CLI last stopped (resumable). */
  interruptedRuns: z.array(z.number().int()),
});
export type ProjectInfo = z.infer<typeof ProjectInfoSchema>;

export const RecentProjectSchema = z.object({ path: z.string(), openedAt: z.string() });
export type RecentProject = z.infer<typeof RecentProjectSchema>;

/** A VM as stored in a project: the experiment-file VM plus its row id. */
export const StoredVmSchema = z.object({ id: z.number().int(), vm: VmSchema });
export type StoredVm = z.infer<typeof StoredVmSchema>;

/** An experiment as stored in a project: which VMs (by name), which methods, their parameters. */
export const ExperimentConfigSchema = z.strictObject({
  name: z.string().min(1, { error: 'expected a name' }),
  vmNames: z.array(z.string()).min(1, { error: 'expected at least one VM' }),
  methods: z.array(z.enum(MRC_METHODS)),
  sizes: z.array(z.number().int().nonnegative()).optional(),
  esx: EsxSchema.prefault({}),
  shards: ShardsSchema.prefault({}),
  pageSize: z.number().int().positive().default(4096),
  /** Memory allocation after each run (`hclab run` prints it). */
  allocation: AllocationSchema.optional(),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;

export const StoredExperimentSchema = z.object({
  id: z.number().int(),
  experiment: ExperimentConfigSchema,
});
export type StoredExperiment = z.infer<typeof StoredExperimentSchema>;

export const RUN_STATES = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RunSummarySchema = z.object({
  id: z.number().int(),
  experimentName: z.string(),
  state: z.enum(RUN_STATES),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  error: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

const nullableNumber = z.number().nullable();

export const CurveSchema = z.object({
  method: z.enum(MRC_METHODS),
  minSize: z.number(),
  maxSize: nullableNumber,
  references: z.number(),
  sizes: z.array(z.number()),
  misses: z.array(nullableNumber),
  missRatio: z.array(nullableNumber),
  mae: nullableNumber,
  maeSizesCompared: z.number(),
  errorAtAllocation: z.array(
    z.object({
      size: z.number(),
      ratio: nullableNumber,
      exactRatio: nullableNumber,
      error: nullableNumber,
    }),
  ),
});
export type Curve = z.infer<typeof CurveSchema>;

export const EsxPeriodSchema = z.object({
  periodIndex: z.number(),
  endTime: z.number(),
  endRef: z.number(),
  touched: z.number(),
  fraction: z.number(),
  sampleEstimate: z.number(),
  fast: z.number(),
  slow: z.number(),
  estimate: z.number(),
  warmup: z.boolean(),
  partial: z.boolean(),
});

export const VmRunResultSchema = z.object({
  name: z.string(),
  /** Per-VM statistics (engine VmStats; numbers, NaN sent as null). */
  stats: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  curves: z.array(CurveSchema),
  esx: z
    .object({
      allocation: z.number(),
      samples: z.number(),
      finalEstimate: nullableNumber,
      missesAtAllocation: z.number(),
      periods: z.array(EsxPeriodSchema),
    })
    .optional(),
});
export type VmRunResult = z.infer<typeof VmRunResultSchema>;

export const RunDetailSchema = RunSummarySchema.extend({
  experiment: ExperimentConfigSchema,
  vms: z.array(VmSchema),
  results: z.array(VmRunResultSchema),
  log: z.array(z.object({ at: z.string(), level: z.string(), message: z.string() })),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const TraceStatsSchema = z.object({
  format: z.string(),
  references: z.number(),
  requests: z.number(),
  distinctPages: z.number(),
  reads: z.number(),
  writes: z.number(),
  firstTime: nullableNumber,
  lastTime: nullableNumber,
  durationSeconds: nullableNumber,
  footprintBytes: z.number(),
  pageSize: z.number(),
  split: z.boolean(),
  volumes: z.number(),
  badSkipped: z.number(),
  bytesRead: z.number(),
  warmup: z.number(),
});
export type TraceStatsDto = z.infer<typeof TraceStatsSchema>;

export const TracePreviewSchema = z.object({
  path: z.string(),
  format: z.string(),
  /** The first records as the reader sees them (page id after dense numbering, op, time). */
  records: z.array(
    z.object({
      page: z.number(),
      op: z.enum(['read', 'write', 'write+fsync']),
      time: nullableNumber,
    }),
  ),
  stats: TraceStatsSchema,
});
export type TracePreview = z.infer<typeof TracePreviewSchema>;
