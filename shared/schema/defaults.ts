/**
 * Default values of the experiment schema. They duplicate the engine's defaults
 * (main/engine/config.ts, which shared/ cannot import); test/unit/schema/defaults.test.ts checks
 * that both agree.
 */

export const DEFAULT_PAGE_SIZE = 4096;

export const POLICY_NAMES = [
  'lru',
  'fifo',
  'clock',
  'arc',
  'lru2',
  'opt',
  'lfu',
  '2q',
  'lirs',
  's3fifo',
  'sieve',
  'clockpro',
  'clockpro-libcachesim',
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const MRC_METHODS = ['exact', 'hypervisor', 'esx', 'shards', 'policy', 'minisim'] as const;
export type MrcMethod = (typeof MRC_METHODS)[number];
/**
 * Methods an experiment runs when it names none: `policy` (one simulation per size) and
 * `minisim` are asked for explicitly.
 */
export const DEFAULT_MRC_METHODS: readonly MrcMethod[] = ['exact', 'hypervisor', 'esx', 'shards'];
/**
 * minisim (Waldspurger et al., ATC 2017): spatial sampling at a fixed rate R, or at most
 * maxSamples sampled pages with the rate falling as the set fills (fixed-size). Engine:
 * DEFAULT_MINISIM.
 */
export const MINISIM_DEFAULTS = { mode: 'fixed-rate', rate: 0.01, maxSamples: 8192 } as const;

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

/**
 * Engine: DEFAULT_COSTS (µs), the time model of main/engine/hypervisor/cost.ts. Sources:
 * - cpuUs 10: CPU time of the application per page reference; workload-specific (measure
 *   CPU seconds ÷ page references; data-intensive servers of the 2007 papers do tens of µs of
 *   work per 4 KiB page they touch). The overhead scales inversely with it.
 * - guestHitUs 1: a reference to a resident page: a buffered read()/write() of one 4 KiB page
 *   from the page cache (system call ≈ 0.3 µs + 4 KiB copy ≈ 0.7 µs at ≈ 6 GB/s).
 * - hitUs 2: a hypervisor-cache hit = hypercall (≈ 1 µs round trip on Xen 3, Barham et al.,
 *   SOSP 2003; Menon et al., VEE 2005) + a 4 KiB page copy (≈ 1 µs). With page remapping
 *   instead of copying (a grant/page flip plus TLB flush, ≈ 2–3 µs) set hitUs to ≈ 4.
 * - putUs 2: a put = hypercall + page copy into the cache, like a hit.
 * - diskReadUs / diskWriteUs 5000: one random 4 KiB disk access on a 7,200-rpm disk
 *   (≈ 4.2 ms average rotational delay + ≈ 1 ms short seek), the hardware of the papers.
 * - seqWriteUs 100: one 4 KiB sequential write (a log append) at ≈ 40 MB/s, no seek.
 * - evictionWait 0: share of dirty-page eviction writebacks the application waits for. Linux's
 *   kswapd writes dirty pages chosen for reclaim asynchronously (the thread only stalls in
 *   direct reclaim under memory pressure); 1 makes every eviction write synchronous.
 * - wpFaultUs 2: a write-protect fault trapped by the hypervisor to learn that a clean page
 *   became dirty (a trap + shadow page-table update, like a hypercall).
 */
export const COST_DEFAULTS = {
  cpuUs: 10,
  guestHitUs: 1,
  hitUs: 2,
  putUs: 2,
  diskReadUs: 5000,
  diskWriteUs: 5000,
  seqWriteUs: 100,
  evictionWait: 0,
  wpFaultUs: 2,
} as const;

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
