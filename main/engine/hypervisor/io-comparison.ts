import type { VmStats } from './stats.js';

/** Disk I/O of one configuration of a VM, split into reads and the kinds of writes. */
export interface DiskIo {
  /** Guest memory and hypervisor cache of the configuration (pages). */
  guestPages: number;
  cachePages: number;
  diskReads: number;
  diskWrites: number;
  /** Flusher writebacks (delayed writes older than dirtyExpire). */
  writebackWrites: number;
  /** Dirty pages written back because they were evicted. */
  evictionWrites: number;
  /** Write-through and fsync writes. */
  syncWrites: number;
  /** Direct-I/O writes (bypass guest memory). */
  bypassWrites: number;
}

/**
 * The "no extra I/O" claim, checked (Lu & Shen 2007 §3): the disk reads and writes of a VM
 * with V guest pages over a hypervisor exclusive cache of C pages, against the same VM given
 * all V + C pages as guest memory and no cache, with the difference (with − without).
 *
 * Reads agree for an LRU guest with no admission failures and no direct writes (DESIGN.md §2
 * invariant). Writes need not: a dirty page must be written back before it can leave the V
 * guest pages for the cache, where the larger guest would have kept it dirty (and absorbed
 * later writes to it) until the flusher wrote it — so the cache adds eviction writes.
 */
export interface IoComparison {
  withCache: DiskIo;
  withoutCache: DiskIo;
  difference: { diskReads: number; diskWrites: number };
  /** difference / withoutCache (NaN when the baseline has none). */
  relative: { diskReads: number; diskWrites: number };
}

export function diskIoOf(s: VmStats): DiskIo {
  return {
    guestPages: s.guestPages,
    cachePages: s.cachePages,
    diskReads: s.diskReads,
    diskWrites: s.diskWrites,
    writebackWrites: s.writebackWrites,
    evictionWrites: s.evictionWrites,
    syncWrites: s.syncWrites,
    bypassWrites: s.bypassWrites,
  };
}

/** @param withCache stats with (V, C); @param withoutCache stats with V + C guest pages, C = 0. */
export function compareIo(withCache: VmStats, withoutCache: VmStats): IoComparison {
  const a = diskIoOf(withCache);
  const b = diskIoOf(withoutCache);
  const rel = (d: number, base: number) => (base > 0 ? d / base : d === 0 ? 0 : Number.NaN);
  const dr = a.diskReads - b.diskReads;
  const dw = a.diskWrites - b.diskWrites;
  return {
    withCache: a,
    withoutCache: b,
    difference: { diskReads: dr, diskWrites: dw },
    relative: { diskReads: rel(dr, b.diskReads), diskWrites: rel(dw, b.diskWrites) },
  };
}
