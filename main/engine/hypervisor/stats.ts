import type { VmMemoryConfig } from '../config.js';
import type { GuestMemory } from '../guest/guest-memory.js';
import { applicationTime, cacheCost } from './cost.js';
import type { ExclusiveCache } from './exclusive-cache.js';

/** Per-VM statistics of one simulation (counted after warm-up). */
export interface VmStats {
  name: string;
  /** V, C, G of the run. */
  guestPages: number;
  cachePages: number;
  ghostPages: number;
  references: number;
  reads: number;
  /** Write references through guest memory (fsync'd and full-page ones included). */
  writes: number;
  fsyncWrites: number;
  /** Writes that replace the whole page: a miss reads nothing. */
  fullPageWrites: number;
  /** Guest misses of full-page writes (no read from the cache or disk). */
  fullPageWriteMisses: number;
  guestHits: number;
  guestMisses: number;
  /** Guest misses supplied by the hypervisor cache. */
  hvHits: number;
  /** Disk reads whose page was in the ghost list. */
  ghostHits: number;
  /** Guest misses read from disk (= guestMisses − hvHits − fullPageWriteMisses). */
  diskReads: number;
  /** All disk writes: writebackWrites + evictionWrites + syncWrites + bypassWrites. */
  diskWrites: number;
  /** Written back by the delayed-writeback flusher. */
  writebackWrites: number;
  /** Dirty victims written back before eviction. */
  evictionWrites: number;
  /** Write-through and fsync writes. */
  syncWrites: number;
  /** Direct-I/O writes that bypassed guest memory (each invalidates a cached copy). */
  bypassWrites: number;
  /** Of those, writes whose page was resident in guest memory (its copy updated in place). */
  bypassGuestUpdates: number;
  puts: number;
  admissionFailures: number;
  /** Pages pushed out of the hypervisor cache by newer puts. */
  hvEvictions: number;
  invalidations: number;
  /** Guest misses that found an id-only entry (failed admission or invalidated copy). */
  idOnlyHits: number;
  /** Cached copies dropped because the guest overwrote the whole page. */
  discardedCopies: number;
  /** hvHits·hitUs + puts·putUs (see hypervisor/cost.ts). */
  overheadUs: number;
  /** hvHits·diskReadUs: disk reads avoided versus a VM of V pages without the cache. */
  savedUs: number;
  netSavedUs: number;
  /** Application time by the time model (hypervisor/cost.ts applicationTime), µs. */
  applicationUs: number;
  /** applicationUs / references. */
  meanAccessUs: number;
  /** VM time covered by the counted references, in seconds. */
  elapsedSeconds: number;
  /** diskReads per second of VM time (the paper's page miss rate); NaN when no time elapsed. */
  diskReadsPerSecond: number;
  /** guestMisses / references. */
  guestMissRatio: number;
  /** diskReads / references. */
  diskReadRatio: number;
  /** State at the end of the run. */
  dirtyPagesAtEnd: number;
  cacheSizeAtEnd: number;
  ghostSizeAtEnd: number;
}

export function buildVmStats(
  name: string,
  config: VmMemoryConfig,
  guest: GuestMemory,
  cache: ExclusiveCache,
  bypassWrites: number,
  bypassGuestUpdates: number,
  elapsedSeconds: number,
): VmStats {
  const cost = cacheCost(config.hypervisor.costs, cache.hits, cache.puts);
  const refs = guest.references;
  const time = applicationTime(config.hypervisor.costs, {
    references: refs,
    cachePages: config.hypervisor.pages,
    hvHits: guest.hvHits,
    puts: cache.puts,
    fullPageWriteMisses: guest.fullPageWriteMisses,
    diskReads: guest.diskReads,
    evictionWrites: guest.evictionWrites,
    syncWrites: guest.syncWrites,
    bypassWrites,
    writebackWrites: guest.writebackWrites,
  });
  return {
    name,
    guestPages: config.guestPages,
    cachePages: config.hypervisor.pages,
    ghostPages: config.hypervisor.ghostPages,
    references: refs,
    reads: guest.reads,
    writes: guest.writes,
    fsyncWrites: guest.fsyncWrites,
    fullPageWrites: guest.fullPageWrites,
    fullPageWriteMisses: guest.fullPageWriteMisses,
    guestHits: guest.hits,
    guestMisses: guest.misses,
    hvHits: guest.hvHits,
    ghostHits: cache.ghostHits,
    diskReads: guest.diskReads,
    diskWrites: guest.diskWrites + bypassWrites,
    writebackWrites: guest.writebackWrites,
    evictionWrites: guest.evictionWrites,
    syncWrites: guest.syncWrites,
    bypassWrites,
    bypassGuestUpdates,
    puts: cache.puts,
    admissionFailures: cache.admissionFailures,
    hvEvictions: cache.evictions,
    invalidations: cache.invalidations,
    idOnlyHits: cache.idOnlyHits,
    discardedCopies: cache.discardedCopies,
    overheadUs: cost.overheadUs,
    savedUs: cost.savedUs,
    netSavedUs: cost.netSavedUs,
    applicationUs: time.totalUs,
    meanAccessUs: time.meanAccessUs,
    elapsedSeconds,
    diskReadsPerSecond: elapsedSeconds > 0 ? guest.diskReads / elapsedSeconds : Number.NaN,
    guestMissRatio: refs > 0 ? guest.misses / refs : Number.NaN,
    diskReadRatio: refs > 0 ? guest.diskReads / refs : Number.NaN,
    dirtyPagesAtEnd: guest.writeback.size,
    cacheSizeAtEnd: cache.size,
    ghostSizeAtEnd: cache.ghost.size,
  };
}
