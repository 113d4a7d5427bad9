import type { CostModel } from '../config.js';

/**
 * The cost model of the hypervisor cache (DESIGN.md §2), in microseconds.
 *
 * `cacheCost` — the cache's own work against the disk reads it saves:
 *   overheadUs = hvHits·hitUs + puts·putUs
 *     — what running with C pages in the hypervisor cache costs compared with having all V + C
 *       pages in the VM (where those hits would have been free guest hits and no puts happen);
 *   savedUs    = hvHits·diskReadUs
 *     — the disk reads the cache avoids compared with a VM of V pages and no cache;
 *   netSavedUs = savedUs − overheadUs.
 *
 * `applicationTime` — the time model of the paper's overhead experiment (Lu & Shen 2007 §5:
 * slowdown of the application with part of its memory in the hypervisor cache against all of
 * it in the VM). The application is one thread that, per page reference, computes for cpuUs
 * and touches the page (guestHitUs); what the touch costs beyond that depends on where the
 * page is:
 *   T = references·(cpuUs + guestHitUs)
 *     + hvHits·hitUs + puts·putUs + discards·hitUs  (hypervisor cache, when C > 0)
 *     + diskReads·diskReadUs
 *     + (evictionWait·evictionWrites + syncWrites + bypassWrites)·diskWriteUs
 * The thread waits for write-through, fsync and direct-I/O writes, and for the share
 * `evictionWait` of the dirty pages written back at eviction (default 0: kswapd writes them
 * asynchronously). Flusher writebacks and the other eviction writes run in the background and
 * are not on the application's path (`backgroundWriteUs` reports them); the I/O comparison
 * (io-comparison.ts) counts them all. A full-page-write miss reads nothing; with a cache the
 * guest tells the hypervisor (a hypercall, costed like a hit) so it can drop a stale copy.
 * Admission failures cost nothing (the page is simply not kept); ghost entries hold no data.
 * Defaults and their sources: COST_DEFAULTS in shared/schema/defaults.ts.
 */
export interface CacheCost {
  overheadUs: number;
  savedUs: number;
  netSavedUs: number;
}

export function cacheCost(costs: CostModel, hvHits: number, puts: number): CacheCost {
  const overheadUs = hvHits * costs.hitUs + puts * costs.putUs;
  const savedUs = hvHits * costs.diskReadUs;
  return { overheadUs, savedUs, netSavedUs: savedUs - overheadUs };
}

/** The counts the time model needs (a subset of VmStats). */
export interface TimedCounts {
  references: number;
  cachePages: number;
  hvHits: number;
  puts: number;
  /** Full-page-write misses announced to the hypervisor (when C > 0). */
  fullPageWriteMisses: number;
  diskReads: number;
  evictionWrites: number;
  syncWrites: number;
  bypassWrites: number;
  writebackWrites: number;
}

export interface ApplicationTime {
  /** Time of the application thread, µs. */
  totalUs: number;
  /** totalUs / references (NaN without references). */
  meanAccessUs: number;
  cpuUs: number;
  memoryUs: number;
  hypervisorUs: number;
  diskReadUs: number;
  /** Disk writes the application waits for. */
  blockingWriteUs: number;
  /** Flusher writebacks and unwaited eviction writes (asynchronous, not in totalUs). */
  backgroundWriteUs: number;
}

export function applicationTime(costs: CostModel, s: TimedCounts): ApplicationTime {
  const cpuUs = s.references * costs.cpuUs;
  const memoryUs = s.references * costs.guestHitUs;
  const discards = s.cachePages > 0 ? s.fullPageWriteMisses : 0;
  const hypervisorUs = s.hvHits * costs.hitUs + s.puts * costs.putUs + discards * costs.hitUs;
  const diskReadUs = s.diskReads * costs.diskReadUs;
  const waited = costs.evictionWait * s.evictionWrites;
  const blockingWriteUs = (waited + s.syncWrites + s.bypassWrites) * costs.diskWriteUs;
  const totalUs = cpuUs + memoryUs + hypervisorUs + diskReadUs + blockingWriteUs;
  return {
    totalUs,
    meanAccessUs: s.references > 0 ? totalUs / s.references : Number.NaN,
    cpuUs,
    memoryUs,
    hypervisorUs,
    diskReadUs,
    blockingWriteUs,
    backgroundWriteUs: (s.writebackWrites + s.evictionWrites - waited) * costs.diskWriteUs,
  };
}

/**
 * The overhead of the cache: the application with (V, C) against the same application with
 * all V + C pages as guest memory. throughputRatio = T(V + C, 0) / T(V, C) (1 = no slowdown);
 * slowdown = T(V, C) / T(V + C, 0) − 1.
 */
export interface Overhead {
  withCache: ApplicationTime;
  withoutCache: ApplicationTime;
  throughputRatio: number;
  slowdown: number;
}

export function overheadOf(withCache: ApplicationTime, withoutCache: ApplicationTime): Overhead {
  return {
    withCache,
    withoutCache,
    throughputRatio: withoutCache.totalUs / withCache.totalUs,
    slowdown: withCache.totalUs / withoutCache.totalUs - 1,
  };
}
