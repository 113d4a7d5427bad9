/**
 * Default values of the experiment schema. They duplicate the engine's defaults
 * (main/engine/config.ts, which shared/ cannot import); test/unit/schema/defaults.test.ts checks
 * that both agree.
 */

export const DEFAULT_PAGE_SIZE = 4096;

export const POLICY_NAMES = ['lru', 'fifo', 'clock', 'arc', 'lru2', 'opt'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const MRC_METHODS = ['exact', 'hypervisor', 'esx', 'shards'] as const;
export type MrcMethod = (typeof MRC_METHODS)[number];

export const WRITEBACK_MODES = ['delayed', 'write-through'] as const;
export const SHARDS_MODES = ['fixed-rate', 'fixed-size'] as const;

/** Per-VM defaults (engine: vmMemoryConfig()). */
export const VM_DEFAULTS = {
  guestPages: 1024,
  hvPages: 0,
  ghostPages: 0,
  policy: 'lru',
  activeFraction: 0.5,
  admissionFailure: 0,
  admissionSeed: 1,
  /** Forget pages whose admission failed instead of keeping an id-only entry. */
  hvForgetFailed: false,
  untimedRate: 1000,
  warmup: 0,
  /** Allocation: weight w_i of the VM's misses in the objective. */
  weight: 1,
  /** ESX allocation: shares S_i (proportional share; its own field, not the weight). */
  shares: 1,
  /** Allocation: tolerance α_i (0 = strict performance isolation). */
  tolerance: 0,
} as const;

/** Engine: DEFAULT_WRITEBACK. */
export const WRITEBACK_DEFAULTS = { mode: 'delayed', dirtyExpire: 30, interval: 5 } as const;

/** Engine: DEFAULT_COSTS (µs). */
export const COST_DEFAULTS = { hitUs: 2, putUs: 2, diskReadUs: 5000, diskWriteUs: 5000 } as const;

/**
 * Engine: DEFAULT_ESX. n = 100 pages per 30 s period are ESX Server's defaults (Waldspurger, OSDI
 * 2002, §5.3). The paper names the three averages (slow, fast, and the fast one with the current
 * period's samples) but publishes no gains; ours are: slow 0.1 (time constant ≈ 10 periods, 5 min),
 * fast 0.5 (≈ 2 periods), and the current-period version updated 10 times per period with gain
 * 0.5 (an increase shows within a fraction of a period). ε = 5 % is the tolerance on the misses at
 * the allocation used to score the estimate (README, "ESX sampling").
 */
export const ESX_DEFAULTS = {
  samples: 100,
  periodSeconds: 30,
  periodRefs: null,
  fastGain: 0.5,
  slowGain: 0.1,
  currentGain: 0.5,
  currentUpdates: 10,
  epsilon: 0.05,
  seed: 1,
} as const;

/** Engine: DEFAULT_SHARDS. */
export const SHARDS_DEFAULTS = { mode: 'fixed-rate', rate: 0.01, maxSamples: 8192 } as const;

/**
 * Sizes at which curves are sampled when an experiment gives none (engine: defaultSizes()):
 * about `points` sizes log-spaced from 1 page to the footprint (dense at small sizes, where
 * curves bend), plus V, V + C and V + C + G.
 */
export const SIZES_DEFAULTS = { points: 64, spacing: 'log' } as const;
