/**
 * Memory allocation across VMs (DESIGN.md §2 Allocation): request and report schemas of
 * `alloc.compute`.
 *
 * Sources: `exact` and `hypervisor` allocate by the exact DP over the run's stored per-VM curves
 * (sampled sizes, linearly interpolated between sampled sizes; the exact curve is flat past its
 * last sample, the hypervisor curve is unknown below V and above V + C + G, so those sizes are
 * never choices for it); `esx` is the ESX shares/idle-tax allocator fed with the run's ESX
 * active-memory estimates. Tolerances are numbers ≥ 0 or "inf" (JSON has no Infinity); values
 * that are infinite in the engine (slack and limit with α = ∞) are sent as null.
 */
import { z } from 'zod';
import {
  ALLOC_BOUNDS,
  ALLOC_OBJECTIVES,
  ONLINE_CONTROLLERS,
  OnlineAllocationSchema,
} from '../schema/experiment.js';

export const ALLOC_SOURCES = ['exact', 'hypervisor', 'esx'] as const;
export type AllocSource = (typeof ALLOC_SOURCES)[number];

export { ALLOC_BOUNDS, ALLOC_OBJECTIVES, ONLINE_CONTROLLERS };

export const OnlineRequestSchema = OnlineAllocationSchema;

const Tolerance = z.union([z.number().nonnegative(), z.literal('inf')]);

export const AllocVmParamsSchema = z.strictObject({
  name: z.string().min(1),
  /** b in pages (default: the VM's baselinePages, else M/n). */
  baseline: z.number().nonnegative().optional(),
  /** α (default: the VM's tolerance). */
  tolerance: Tolerance.optional(),
  /** w: weight of the VM's misses in the DP objective (default: the VM's weight). */
  weight: z.number().positive().optional(),
  /** S: ESX shares (default: the VM's shares; not the weight). */
  shares: z.number().positive().optional(),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
});
export type AllocVmParams = z.infer<typeof AllocVmParamsSchema>;

export const AllocRequestSchema = z.object({
  /** A finished run whose per-VM curves are the MRC sources. */
  runId: z.number().int().positive(),
  /** Host memory M in pages (minus any hypervisor reserve). */
  memory: z.number().int().positive(),
  /** q in pages (default max(1, ⌈M/1000⌉)). */
  quantum: z.number().int().positive().optional(),
  /** ESX idle-memory tax τ in [0, 1) (default 0.75). */
  tau: z.number().min(0).lt(1).optional(),
  /** Per-VM overrides, by name. */
  vms: z.array(AllocVmParamsSchema).optional(),
  sources: z.array(z.enum(ALLOC_SOURCES)).min(1).default(['exact', 'hypervisor', 'esx']),
  /** Re-simulate every allocation (guest memory = allocation, no hypervisor cache). */
  resimulate: z.boolean().default(true),
  /**
   * Default upper bound of a VM without a max, the same for the DP and ESX: `host` = M (a VM may
   * get all of host memory), `allocation` = its V + C in the run (ESX can then only reclaim).
   */
  bounds: z.enum(ALLOC_BOUNDS).default('host'),
  /** DP objective: Σ w·misses, or Σ w·misses/second of VM time (page miss rate). */
  objective: z.enum(ALLOC_OBJECTIVES).default('misses'),
  /** Online mode: the oracle, hypervisor-online and ESX controllers in one resizing timeline. */
  online: OnlineRequestSchema.optional(),
  /** Adaptive mode: re-allocate every epoch from per-epoch exact MRCs of the VMs' workloads. */
  adaptive: z
    .strictObject({
      /** Epoch length in seconds of VM time (default 30) … */
      epochSeconds: z.number().positive().optional(),
      /** … or in references of each VM (takes precedence). */
      epochRefs: z.number().int().positive().optional(),
      /** h_e = decay·h_{e−1} + epoch_e, decay in [0, 1] (default 0). */
      decay: z.number().min(0).max(1).optional(),
    })
    .optional(),
  /** Problem-size limits (README "Limits"); a quantum too fine for maxQuanta is raised. */
  limits: z
    .strictObject({
      /** Most VMs × (⌊M/q⌋ + 1) (default 50,000). */
      maxQuanta: z.number().int().min(2).optional(),
      /** Most adaptive epochs (default 10,000). */
      maxEpochs: z.number().int().positive().optional(),
      /** Most adaptive epochs × VMs × (⌊M/q⌋ + 1) numbers kept (default 2^24). */
      maxAdaptiveCells: z.number().int().positive().optional(),
    })
    .optional(),
});
export type AllocRequest = z.input<typeof AllocRequestSchema>;

const num = z.number().nullable();

const OnlineVmEpochSchema = z.object({
  name: z.string(),
  pages: z.number(),
  guestPages: z.number(),
  cachePages: z.number(),
  references: z.number(),
  misses: z.number(),
  refillMisses: z.number(),
  seconds: z.number(),
  missRate: z.number(),
  predictedMisses: num,
  baselineMisses: num,
  violation: z.boolean(),
});

const OnlineEsxPeriodSchema = z.object({
  endTime: z.number(),
  allocation: z.number(),
  touched: z.number(),
  sample: z.number(),
  fast: z.number(),
  slow: z.number(),
  fastCurrent: num,
  estimate: z.number(),
});

/** Online mode's report (engine/alloc/online OnlineResult; α = ∞ and unknowns as null). */
export const OnlineReportSchema = z.object({
  memory: z.number(),
  quantum: z.number(),
  epochSeconds: z.number(),
  cacheShare: z.number(),
  ghostPages: z.number(),
  decay: z.number(),
  objective: z.enum(ALLOC_OBJECTIVES),
  tau: z.number(),
  esxPeriodSeconds: z.number(),
  vms: z.array(
    z.object({
      name: z.string(),
      min: z.number(),
      max: z.number(),
      baseline: z.number(),
      /** null: α = ∞. */
      tolerance: num,
    }),
  ),
  controllers: z.array(
    z.object({
      controller: z.enum(ONLINE_CONTROLLERS),
      totalMisses: z.number(),
      totalRefillMisses: z.number(),
      missRate: z.number(),
      violations: z.number(),
      reallocations: z.number(),
      epochs: z.array(
        z.object({
          index: z.number().int(),
          startTime: z.number(),
          endTime: z.number(),
          partial: z.boolean(),
          feasible: z.boolean(),
          reason: z.string().optional(),
          misses: z.number(),
          refillMisses: z.number(),
          missRate: z.number(),
          violations: z.number(),
          vms: z.array(OnlineVmEpochSchema),
        }),
      ),
      esxPeriods: z
        .array(z.object({ name: z.string(), periods: z.array(OnlineEsxPeriodSchema) }))
        .optional(),
    }),
  ),
  notes: z.array(z.string()),
});
export type OnlineReport = z.infer<typeof OnlineReportSchema>;

export const AllocVmResultSchema = z.object({
  name: z.string(),
  pages: z.number(),
  /** Misses the source's curve predicts at `pages` (ESX: the exact curve's, when stored). */
  predictedMisses: num,
  baselinePages: z.number(),
  baselineMisses: num,
  /** (1 + α)·misses(b); null when α = ∞ or unknown. */
  limit: num,
  /** limit − predicted misses; null when α = ∞ or unknown. */
  slack: num,
  /** Guest misses when re-simulated with `pages` of guest memory and no hypervisor cache. */
  achievedMisses: num.optional(),
  /**
   * predicted = achieved holds by construction for this VM (LRU guest, a static allocation
   * re-simulated with the same LRU policy as the curve): not evidence of anything.
   */
  byConstruction: z.boolean().optional(),
  /** ESX only: the active-memory estimate used and f at the final allocation. */
  activePages: z.number().optional(),
  activeFraction: z.number().optional(),
});
export type AllocVmResult = z.infer<typeof AllocVmResultSchema>;

export const AllocSourceResultSchema = z.object({
  source: z.enum(ALLOC_SOURCES),
  feasible: z.boolean(),
  reason: z.string().optional(),
  totalPredictedMisses: num,
  totalAchievedMisses: num.optional(),
  /** M − Σ pages. */
  memorySlack: num,
  allocations: z.array(AllocVmResultSchema),
});
export type AllocSourceResult = z.infer<typeof AllocSourceResultSchema>;

export const AllocReportSchema = z.object({
  /** Every requested source found an allocation. */
  feasible: z.boolean(),
  /** The first infeasible source's reason, prefixed with the source. */
  reason: z.string().optional(),
  runId: z.number().int(),
  memory: z.number(),
  quantum: z.number(),
  tau: z.number(),
  /** Baseline allocation per VM (pages), in run order. */
  baseline: z.array(z.object({ name: z.string(), pages: z.number() })),
  /** The per-VM bounds every source used, and the rule for VMs without a configured max. */
  bounds: z.array(z.object({ name: z.string(), min: z.number(), max: z.number() })),
  boundsRule: z.enum(ALLOC_BOUNDS),
  objective: z.enum(ALLOC_OBJECTIVES),
  online: OnlineReportSchema.optional(),
  results: z.array(AllocSourceResultSchema),
  /** Adaptive mode (when requested): each VM's allocation and misses per epoch. */
  adaptive: z
    .object({
      mode: z.enum(['seconds', 'refs']),
      quantum: z.number(),
      totalMisses: z.number(),
      epochs: z.array(
        z.object({
          index: z.number().int(),
          /** End of the epoch in seconds of VM time, or in references (mode 'refs'). */
          endTime: z.number(),
          feasible: z.boolean(),
          reason: z.string().optional(),
          allocations: z.array(
            z.object({ name: z.string(), pages: z.number(), misses: z.number() }),
          ),
        }),
      ),
    })
    .optional(),
  /** Things the user should know (e.g. a VM that could not be re-simulated). */
  notes: z.array(z.string()),
  /** The stored analysis holding this report (absent when the project is read-only). */
  analysisId: z.number().int().optional(),
});
export type AllocReport = z.infer<typeof AllocReportSchema>;
