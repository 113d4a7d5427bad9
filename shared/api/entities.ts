/**
 * Entities that cross the API boundary: what a project holds (VMs, experiments, runs and their
 * results) and what the UI shows. Runtime schemas (zod) so every boundary validates them.
 */
import { z } from 'zod';
import { AllocationSchema, EsxSchema, MinisimSchema, ShardsSchema } from '../schema/experiment.js';
import { MRC_METHODS } from '../schema/defaults.js';
import { VmSchema } from '../schema/vm.js';
import { nameString, pageCount } from '../schema/fields.js';

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

/** Every stored entity carries a revision, bumped by each save; a save that names a stale
 * revision is refused with CONFLICT (another window or process saved in between). */
const Revision = z.number().int().positive();

/** A VM as stored in a project: the experiment-file VM plus its row id and revision. */
export const StoredVmSchema = z.object({ id: z.number().int(), revision: Revision, vm: VmSchema });
export type StoredVm = z.infer<typeof StoredVmSchema>;

/** An experiment as stored in a project: which VMs (by name), which methods, their parameters. */
export const ExperimentConfigSchema = z.strictObject({
  name: nameString(),
  vmNames: z.array(z.string()).min(1, { error: 'expected at least one VM' }),
  methods: z.array(z.enum(MRC_METHODS)),
  /** Memory sizes in pages, each ≥ 1 (a curve at 0 pages says nothing). */
  sizes: z.array(pageCount()).optional(),
  esx: EsxSchema.prefault({}),
  shards: ShardsSchema.prefault({}),
  minisim: MinisimSchema.prefault({}),
  pageSize: z.number().int().positive().default(4096),
  /** Memory allocation after each run (`hclab run` prints it). */
  allocation: AllocationSchema.optional(),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;

export const StoredExperimentSchema = z.object({
  id: z.number().int(),
  revision: Revision,
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
  /** null (shown "—", never 0) when no size could be compared. */
  mae: nullableNumber,
  /** The number of sizes (points) the MAE averages over. */
  maeSizesCompared: z.number(),
  /** Smallest and largest size compared (absent in runs stored before it was recorded). */
  maeSizeRange: z.object({ first: z.number(), last: z.number() }).nullable().optional(),
  /** The true curve the MAE is measured against (exact for LRU, policy otherwise). */
  maeAgainst: z.enum(MRC_METHODS).nullable().optional(),
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

/*
 * ESX results (main/engine/mrc/esx.ts). Fields marked "(new)" are absent from runs stored before
 * ESX kept three averages and was scored against the working set.
 */
export const EsxPeriodSchema = z.object({
  periodIndex: z.number(),
  /** VM time (s) and references at the end of the period. */
  endTime: z.number(),
  endRef: z.number(),
  /** Sampled frames touched, f = touched/n, and the sample f·A (pages). */
  touched: z.number(),
  fraction: z.number(),
  sampleEstimate: z.number(),
  /** The three averages at the end of the period (fastCurrent null: third average disabled). */
  fast: z.number(),
  slow: z.number(),
  fastCurrent: nullableNumber.optional(),
  /** min(A, max(slow, fast, fastCurrent)): ESX's working-set estimate (pages). */
  estimate: z.number(),
  /** (new) References in the period and the truth the estimate is scored against. */
  references: z.number().optional(),
  /** (new) Distinct pages touched in the period. */
  trueWorkingSet: z.number().optional(),
  /** (new) Smallest memory whose exact LRU misses in the period are ≤ (1 + ε)·those at A. */
  epsilonPages: z.number().optional(),
  /** (new) Exact LRU misses with A pages in the period. */
  missesAtAllocation: z.number().optional(),
  warmup: z.boolean(),
  partial: z.boolean(),
});
export type EsxPeriodDto = z.infer<typeof EsxPeriodSchema>;

/** An update of the current-period average inside a period (its end is in `periods`). */
export const EsxUpdateSchema = z.object({
  periodIndex: z.number(),
  time: z.number(),
  ref: z.number(),
  touched: z.number(),
  /** Partial sample touched/n·A so far in the period. */
  sampleEstimate: z.number(),
  /** Slow and fast averages as of the last period end (null before the first one). */
  slow: nullableNumber,
  fast: nullableNumber,
  fastCurrent: z.number(),
  estimate: z.number(),
});
export type EsxUpdateDto = z.infer<typeof EsxUpdateSchema>;

/** Estimate vs one kind of truth, over the scored periods (nulls: nothing compared). */
export const EsxErrorSummarySchema = z.object({
  /** Periods compared in pages (every scored period). */
  periods: z.number(),
  /** Periods with truth > 0: the relative errors are over these. */
  relativePeriods: z.number(),
  /** |estimate − truth| / truth, mean and max. */
  meanRelativeError: nullableNumber,
  maxRelativeError: nullableNumber,
  /** Allocation error |estimate − truth| in pages, mean and max. */
  meanAbsPages: nullableNumber,
  maxAbsPages: nullableNumber,
  /** Mean of estimate − truth (pages): > 0 over-, < 0 under-allocation. */
  meanSignedPages: nullableNumber,
  /** Periods where the estimate is below the truth. */
  periodsUnder: z.number(),
});
export type EsxErrorSummary = z.infer<typeof EsxErrorSummarySchema>;

/**
 * ESX scored against the truth it estimates, per period outside the warm-up: the true working
 * set (distinct pages touched in the period) and the ε-memory of the exact curve.
 */
export const EsxScoreSchema = z.object({
  /** ε: relative tolerance on the misses at the allocation. */
  epsilon: z.number(),
  /** Periods scored (outside the warm-up). */
  periods: z.number(),
  workingSet: EsxErrorSummarySchema,
  epsilonMemory: EsxErrorSummarySchema,
});
export type EsxScoreDto = z.infer<typeof EsxScoreSchema>;

export const EsxReportSchema = z.object({
  /** A = V + C pages. */
  allocation: z.number(),
  samples: z.number(),
  /** (new) Period in seconds of VM time, or in references when overridden. */
  periodMode: z.enum(['seconds', 'refs']).optional(),
  periodSeconds: nullableNumber.optional(),
  periodRefs: nullableNumber.optional(),
  /** (new) The gains of the slow, fast and current-period averages; updates per period. */
  fastGain: z.number().optional(),
  slowGain: z.number().optional(),
  currentGain: z.number().optional(),
  currentUpdates: z.number().optional(),
  finalEstimate: nullableNumber,
  missesAtAllocation: z.number(),
  periods: z.array(EsxPeriodSchema),
  /** (new) */
  updates: z.array(EsxUpdateSchema).optional(),
  /** (new) */
  score: EsxScoreSchema.optional(),
});
export type EsxReportDto = z.infer<typeof EsxReportSchema>;

const DiskIoSchema = z.object({
  guestPages: z.number(),
  cachePages: z.number(),
  diskReads: z.number(),
  diskWrites: z.number(),
  writebackWrites: z.number(),
  evictionWrites: z.number(),
  syncWrites: z.number(),
  bypassWrites: z.number(),
});

/** Disk reads and writes with (V, C) against V + C guest pages and no cache (engine
 * IoComparison); absent in results stored before it existed. */
export const IoComparisonSchema = z.object({
  withCache: DiskIoSchema,
  withoutCache: DiskIoSchema,
  difference: z.object({ diskReads: z.number(), diskWrites: z.number() }),
  relative: z.object({ diskReads: nullableNumber, diskWrites: nullableNumber }),
});

export const VmRunResultSchema = z.object({
  name: z.string(),
  /** Per-VM statistics (engine VmStats; numbers, NaN sent as null). */
  stats: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  io: IoComparisonSchema.optional(),
  /** Curves; `esx`'s has mae null: ESX is scored in `esx.score`, not as a curve. */
  curves: z.array(CurveSchema),
  /** The VM's true curve: exact (LRU guest) or policy (any other guest), when computed. */
  truth: z.enum(MRC_METHODS).nullable().optional(),
  esx: EsxReportSchema.optional(),
  /** How it was made beyond the run's snapshot (absent in runs stored before it was recorded). */
  provenance: z
    .object({
      hclabVersion: z.string(),
      trace: z
        .object({
          path: z.string(),
          fileName: z.string().optional(),
          bytes: z.number(),
          sha256: z.string(),
        })
        .optional(),
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
  /** The first records: the dense page id the simulation uses, the trace's own id (block or
   * page number; after splitting, the page of the byte offset) and time, and the op. */
  records: z.array(
    z.object({
      page: z.number(),
      traceId: nullableNumber,
      op: z.enum([
        'read',
        'write',
        'write+fsync',
        'full-page-write',
        'full-page-write+fsync',
        'direct-write',
      ]),
      time: nullableNumber,
    }),
  ),
  stats: TraceStatsSchema,
});
export type TracePreview = z.infer<typeof TracePreviewSchema>;
