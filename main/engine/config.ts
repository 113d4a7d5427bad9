/**
 * Engine-side configuration of a VM's memory, the hypervisor cache and the MRC methods, with
 * the defaults of DESIGN.md §2. The runtime schemas in shared/ produce objects of these types.
 */
import type { PolicyName } from './policy/policy.js';

export interface WritebackConfig {
  /** `delayed`: flusher every `interval` s writes pages dirty for longer than `dirtyExpire` s. */
  mode: 'delayed' | 'write-through';
  dirtyExpire: number;
  interval: number;
}

/** Costs in microseconds, to report the overhead of the hypervisor cache. */
export interface CostModel {
  hitUs: number;
  putUs: number;
  diskReadUs: number;
  diskWriteUs: number;
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
  /** Period length in seconds of VM time (timed streams). */
  periodSeconds: number;
  /** Period length in references, used when the stream is untimed (or when set explicitly). */
  periodRefs: number | null;
  /** EWMA gains (weight of the newest sample): fast average reacts quickly, slow one decays slowly. */
  fastGain: number;
  slowGain: number;
  seed: number;
}

export interface ShardsConfig {
  /** `fixed-rate`: sample rate R; `fixed-size`: at most `maxSamples` sampled pages, threshold adapts. */
  mode: 'fixed-rate' | 'fixed-size';
  rate: number;
  maxSamples: number;
}

export const DEFAULT_COSTS: CostModel = { hitUs: 2, putUs: 2, diskReadUs: 5000, diskWriteUs: 5000 };

export const DEFAULT_WRITEBACK: WritebackConfig = { mode: 'delayed', dirtyExpire: 30, interval: 5 };

export const DEFAULT_ESX: EsxConfig = {
  samples: 100,
  periodSeconds: 30,
  periodRefs: null,
  fastGain: 0.5,
  slowGain: 0.1,
  seed: 1,
};

export const DEFAULT_SHARDS: ShardsConfig = { mode: 'fixed-rate', rate: 0.01, maxSamples: 8192 };

export function vmMemoryConfig(
  partial: Partial<Omit<VmMemoryConfig, 'hypervisor' | 'writeback'>> & {
    hypervisor?: Partial<HypervisorCacheConfig>;
    writeback?: Partial<WritebackConfig>;
  } = {},
): VmMemoryConfig {
  return {
    guestPages: partial.guestPages ?? 1024,
    policy: partial.policy ?? 'lru',
    activeFraction: partial.activeFraction ?? 0.5,
    untimedRate: partial.untimedRate ?? 1000,
    warmup: partial.warmup ?? 0,
    writeback: { ...DEFAULT_WRITEBACK, ...partial.writeback },
    hypervisor: {
      pages: 0,
      ghostPages: 0,
      admissionFailure: 0,
      seed: 1,
      ...partial.hypervisor,
      costs: { ...DEFAULT_COSTS, ...partial.hypervisor?.costs },
    },
  };
}
