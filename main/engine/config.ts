/**
 * Engine-side configuration of a VM's memory, the hypervisor cache and the MRC methods, with
 * the defaults of DESIGN.md §2. The runtime schemas in shared/ produce objects of these types.
 */
import {
  COST_DEFAULTS,
  ESX_DEFAULTS,
  MINISIM_DEFAULTS,
  SHARDS_DEFAULTS,
  VM_DEFAULTS,
  WRITEBACK_DEFAULTS,
} from '../../shared/schema/defaults.js';
import type { PolicyName } from './policy/policy.js';

export interface WritebackConfig {
  /** `delayed`: flusher every `interval` s writes pages dirty for longer than `dirtyExpire` s. */
  mode: 'delayed' | 'write-through';
  dirtyExpire: number;
  interval: number;
}

/**
 * Times in microseconds of the time model (hypervisor/cost.ts): the overhead of the hypervisor
 * cache, and the costs of the crash-recovery strategies. Defaults and their sources:
 * shared/schema/defaults.ts COST_DEFAULTS.
 */
export interface CostModel {
  /** CPU time of the application per page reference. */
  cpuUs: number;
  /** A reference to a page resident in guest memory. */
  guestHitUs: number;
  /** A hypervisor-cache hit: hypercall + page copy (or remap). */
  hitUs: number;
  /** A put into the hypervisor cache: hypercall + page copy. */
  putUs: number;
  /** A random 4 KiB disk read / write. */
  diskReadUs: number;
  diskWriteUs: number;
  /** A sequential 4 KiB write (log append). */
  seqWriteUs: number;
  /** Share of dirty-page eviction writebacks the application waits for (0: asynchronous). */
  evictionWait: number;
  /** A write-protect fault trapped by the hypervisor. */
  wpFaultUs: number;
}

export interface HypervisorCacheConfig {
  /** C: pages of the VM's memory managed by the hypervisor as an exclusive cache. */
  pages: number;
  /** G: ids kept of pages evicted from the cache (no data), to extend the MRC. */
  ghostPages: number;
  /** Probability that an evicted clean page cannot be proven to match storage and is dropped. */
  admissionFailure: number;
  /** Seed for admission failures. */
  seed: number;
  /**
   * The naive hypervisor: a page whose admission fails (or whose cached copy is invalidated) is
   * forgotten, instead of keeping an id-only entry in the cache's recency order. The hypervisor
   * MRC is then no longer exact (shows what tracking the ids buys).
   */
  forgetFailed: boolean;
  costs: CostModel;
}

export interface VmMemoryConfig {
  /** V: pages of guest memory. */
  guestPages: number;
  policy: PolicyName;
  /** lru2: share of memory the active list may hold. */
  activeFraction: number;
  writeback: WritebackConfig;
  hypervisor: HypervisorCacheConfig;
  /** References per second of VM time for traces without timestamps. */
  untimedRate: number;
  /** References at the start that warm the caches but are not counted. */
  warmup: number;
}

export interface EsxConfig {
  /** n: pages sampled per period. */
  samples: number;
  /** Period length in seconds of VM time (untimed streams advance VM time at `untimedRate`). */
  periodSeconds: number;
  /** Explicit override: period length in references (null: `periodSeconds` of VM time). */
  periodRefs: number | null;
  /** EWMA gains (weight of the newest sample): fast average reacts quickly, slow one decays slowly. */
  fastGain: number;
  slowGain: number;
  /** Gain of the fast average's version that takes in the current, incomplete period. */
  currentGain: number;
  /** Updates of that version per period (0: only the slow and fast averages). */
  currentUpdates: number;
  /** Scoring: relative tolerance ε on the misses at the allocation. */
  epsilon: number;
  seed: number;
}

export interface ShardsConfig {
  /** `fixed-rate`: sample rate R; `fixed-size`: at most `maxSamples` sampled pages, threshold adapts. */
  mode: 'fixed-rate' | 'fixed-size';
  rate: number;
  maxSamples: number;
}

/** The minisim method's sampling, as SHARDS': a fixed rate, or a fixed number of sampled pages. */
export interface MinisimConfig {
  mode: 'fixed-rate' | 'fixed-size';
  rate: number;
  maxSamples: number;
}

// The defaults are defined once, in the shared schema (the CLI, experiment files and the UI
// fill them in from there); the engine takes typed copies.
export const DEFAULT_COSTS: CostModel = { ...COST_DEFAULTS };

export const DEFAULT_WRITEBACK: WritebackConfig = { ...WRITEBACK_DEFAULTS };

export const DEFAULT_ESX: EsxConfig = { ...ESX_DEFAULTS };

export const DEFAULT_SHARDS: ShardsConfig = { ...SHARDS_DEFAULTS };

export const DEFAULT_MINISIM: MinisimConfig = { ...MINISIM_DEFAULTS };

export function vmMemoryConfig(
  partial: Partial<Omit<VmMemoryConfig, 'hypervisor' | 'writeback'>> & {
    hypervisor?: Partial<Omit<HypervisorCacheConfig, 'costs'>> & { costs?: Partial<CostModel> };
    writeback?: Partial<WritebackConfig>;
  } = {},
): VmMemoryConfig {
  return {
    guestPages: partial.guestPages ?? VM_DEFAULTS.guestPages,
    policy: partial.policy ?? VM_DEFAULTS.policy,
    activeFraction: partial.activeFraction ?? VM_DEFAULTS.activeFraction,
    untimedRate: partial.untimedRate ?? VM_DEFAULTS.untimedRate,
    warmup: partial.warmup ?? VM_DEFAULTS.warmup,
    writeback: { ...DEFAULT_WRITEBACK, ...partial.writeback },
    hypervisor: {
      pages: VM_DEFAULTS.hvPages,
      ghostPages: VM_DEFAULTS.ghostPages,
      admissionFailure: VM_DEFAULTS.admissionFailure,
      seed: VM_DEFAULTS.admissionSeed,
      forgetFailed: VM_DEFAULTS.hvForgetFailed,
      ...partial.hypervisor,
      costs: { ...DEFAULT_COSTS, ...partial.hypervisor?.costs },
    },
  };
}
