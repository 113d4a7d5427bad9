/**
 * Crash model, step 1 (DESIGN.md §2 Crash model): simulate the workload ONCE and record, for
 * every page, when each acknowledged version was written and when a version became durable.
 *
 * The guest model follows {@link GuestMemory}/{@link Writeback} exactly (same policy objects,
 * same flusher rule), but emits the events the crash model needs, which GuestMemory does not
 * expose:
 * - a write dirties the page (write-allocate; the write is acknowledged at its time t);
 * - the flusher wakes at every multiple of `interval` and writes back every page dirty for at
 *   least `dirtyExpire` seconds (a page first dirtied at s is durable at the first wake-up
 *   w ≥ s + dirtyExpire; wake-ups run before references at the same instant);
 * - a dirty page chosen for eviction is written back first (durable at the evicting reference);
 * - an fsync'd write is durable before it is acknowledged (the page becomes clean at once);
 * - a direct-I/O write (OP_DIRECT_BIT) bypasses guest memory and is durable when acknowledged:
 *   nothing of it can be lost, so it is not part of the timeline (it is not a guest reference).
 * With `guestPages` null memory holds every page (no evictions).
 *
 * Recorded:
 * - the write log: every write in time order (time, page, version, fsync) — version k is the
 *   page's k-th write; the hv-log strategy appends exactly this stream to its log;
 * - dirty intervals [start, end): a page is acknowledged-but-not-durable from its first write
 *   after being clean until it is cleaned (end = +∞ when still dirty at the end);
 * - durable events: (page, time, version) each time a version reaches disk.
 * Every dirty interval is shorter than dirtyExpire + interval (the flusher's worst case), which
 * bounds how far back a crash's losses reach.
 */
import type { WritebackConfig } from '../config.js';
import { checkpoint, type RunControl } from '../control.js';
import { DirtyFifo } from '../guest/dirty-fifo.js';
import type { ChunkSource } from '../host.js';
import { createPolicy } from '../policy/create-policy.js';
import type { PagePolicy, PolicyName } from '../policy/policy.js';
import {
  OP_DIRECT_BIT,
  OP_FSYNC_BIT,
  OP_WRITE_BIT,
  OP_WRITE_FSYNC,
  type RefChunk,
} from '../trace/chunk.js';
import { growFloat64, growInt32, growUint8 } from '../util/grow.js';

export interface TimelineConfig {
  /** Guest memory V in pages, or null: every page stays resident (no eviction writeback). */
  guestPages: number | null;
  policy?: PolicyName;
  /** Delayed writeback parameters (mode is ignored: the guest runs with delayed writeback). */
  writeback: Pick<WritebackConfig, 'dirtyExpire' | 'interval'>;
  /** References per second for untimed streams. */
  untimedRate: number;
}

/** Growable column of numbers. */
class F64 {
  a: Float64Array = new Float64Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) this.a = growFloat64(this.a, this.n * 2);
    this.a[this.n++] = x;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}
class I32 {
  a: Int32Array = new Int32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) this.a = growInt32(this.a, this.n * 2);
    this.a[this.n++] = x;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.n);
  }
}

/** Per-page lists in CSR form: entries of page p are offsets[p] .. offsets[p + 1]. */
export interface PerPage {
  offsets: Int32Array;
  times: Float64Array;
  versions: Int32Array;
}

export interface CrashTimeline {
  readonly dirtyExpire: number;
  readonly interval: number;
  /** First and last reference times (s). */
  readonly startTime: number;
  readonly endTime: number;
  readonly references: number;
  /** The write log, in time order (index = log sequence number). */
  readonly writeTimes: Float64Array;
  readonly writePages: Int32Array;
  readonly writeVersions: Int32Array;
  readonly writeFsync: Uint8Array;
  readonly fsyncWrites: number;
  /** Dirty intervals, in order of start; `sortedEnds` is `ends` sorted (for counting). */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly sortedEnds: Float64Array;
  /**
   * Write-protect faults the hypervisor takes to learn which pages are dirty (hv-rescue): a
   * write faults when its page is clean (clean pages are write-protected) or when a flusher
   * wake-up re-armed the protection since the page's previous write — the first write to a
   * page in each writeback interval [k·interval, (k + 1)·interval).
   */
  readonly wpFaults: number;
  /** Disk writes of the delayed guest: flusher, eviction writeback and fsync'd writes. */
  readonly flusherWrites: number;
  readonly evictionWrites: number;
  readonly syncWrites: number;
  readonly peakDirty: number;
  /** Pages 0..pageLimit-1 cover every page written. */
  readonly pageLimit: number;
  /** Writes per page (time order). */
  readonly writesByPage: PerPage;
  /** Fsync'd writes per page. */
  readonly fsyncByPage: PerPage;
  /** Versions made durable per page. */
  readonly durableByPage: PerPage;
}

function upperBound(a: Float64Array, x: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(a: Float64Array, x: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export { lowerBound, upperBound };

/** Pages acknowledged but not durable at time t: #(start ≤ t) − #(end ≤ t), O(log n). */
export function dirtyAt(tl: CrashTimeline, t: number): number {
  return upperBound(tl.starts, t) - upperBound(tl.sortedEnds, t);
}

/** Index of the last entry of page p with time ≤ t in a per-page list, or -1. */
export function lastAtOrBefore(list: PerPage, page: number, t: number): number {
  if (page + 1 >= list.offsets.length) return -1;
  const from = list.offsets[page];
  const to = list.offsets[page + 1];
  const k = upperBound(list.times, t, from, to);
  return k > from ? k - 1 : -1;
}

function groupByPage(
  pageLimit: number,
  pages: Int32Array,
  times: Float64Array,
  versions: Int32Array,
  keep?: Uint8Array,
): PerPage {
  const offsets = new Int32Array(pageLimit + 1);
  for (let i = 0; i < pages.length; i++) if (keep === undefined || keep[i]) offsets[pages[i] + 1]++;
  for (let p = 0; p < pageLimit; p++) offsets[p + 1] += offsets[p];
  const n = offsets[pageLimit];
  const outTimes = new Float64Array(n);
  const outVersions = new Int32Array(n);
  const fill = offsets.slice(0, pageLimit);
  for (let i = 0; i < pages.length; i++) {
    if (keep !== undefined && !keep[i]) continue;
    const k = fill[pages[i]]++;
    outTimes[k] = times[i];
    outVersions[k] = versions[i];
  }
  return { offsets, times: outTimes, versions: outVersions };
}

/** Simulates the workload once with delayed writeback and records its crash timeline. */
export async function recordTimeline(
  chunks: ChunkSource,
  config: TimelineConfig,
  control?: RunControl,
): Promise<CrashTimeline> {
  const expire = config.writeback.dirtyExpire;
  const interval = config.writeback.interval;
  if (!(interval > 0)) throw new RangeError(`writeback interval must be > 0, got ${interval}`);
  if (!(expire >= 0)) throw new RangeError(`dirtyExpire must be >= 0, got ${expire}`);
  if (!(config.untimedRate > 0))
    throw new RangeError(`untimed rate must be > 0, got ${config.untimedRate}`);
  const policy: PagePolicy | null =
    config.guestPages === null ? null : createPolicy(config.policy ?? 'lru', config.guestPages);

  // Guest dirty state (as in Writeback): flag, generation, open interval per page.
  let dirty: Uint8Array = new Uint8Array(1024);
  let gen: Int32Array = new Int32Array(1024);
  let version: Int32Array = new Int32Array(1024);
  let openInterval: Int32Array = new Int32Array(1024);
  /** Writeback interval index of the page's last write (−1: never written). */
  let lastWriteInterval: Int32Array = new Int32Array(1024).fill(-1);
  let wpFaults = 0;
  const fifo = new DirtyFifo();
  let dirtyCount = 0;
  let peakDirty = 0;
  let nextWake = 1;

  const wTimes = new F64();
  const wPages = new I32();
  const wVersions = new I32();
  let wFsync: Uint8Array = new Uint8Array(1024);
  const starts = new F64();
  const ends = new F64();
  const dPages = new I32();
  const dTimes = new F64();
  const dVersions = new I32();
  let flusherWrites = 0;
  let evictionWrites = 0;
  let syncWrites = 0;
  let fsyncWrites = 0;
  let pageLimit = 0;

  const ensure = (page: number): void => {
    if (page < dirty.length) return;
    dirty = growUint8(dirty, page + 1);
    gen = growInt32(gen, page + 1);
    version = growInt32(version, page + 1);
    openInterval = growInt32(openInterval, page + 1);
    lastWriteInterval = growInt32(lastWriteInterval, page + 1, -1);
  };
  const durable = (page: number, time: number): void => {
    dPages.push(page);
    dTimes.push(time);
    dVersions.push(version[page]);
  };
  /** Cleans a dirty page at `time` (its latest version becomes durable). */
  const clean = (page: number, time: number): boolean => {
    if (page >= dirty.length || dirty[page] === 0) return false;
    dirty[page] = 0;
    dirtyCount--;
    ends.a[openInterval[page]] = time;
    durable(page, time);
    return true;
  };
  const dropStale = (): void => {
    while (fifo.length > 0) {
      const page = fifo.headPage();
      if (dirty[page] === 1 && gen[page] === fifo.headGen()) return;
      fifo.shift();
    }
  };
  /** The flusher: every wake-up at or before `time` (same rule as Writeback.advance). */
  const advance = (time: number): void => {
    while (true) {
      dropStale();
      if (fifo.length === 0) break;
      const due = fifo.headTime() + expire;
      let k = Math.max(nextWake, Math.ceil(due / interval));
      while (k * interval < due) k++;
      const wake = k * interval;
      if (wake > time) break;
      while (fifo.length > 0) {
        const page = fifo.headPage();
        if (dirty[page] === 1 && gen[page] === fifo.headGen()) {
          if (fifo.headTime() + expire > wake) break;
          clean(page, wake);
          flusherWrites++;
        }
        fifo.shift();
      }
      nextWake = k + 1;
    }
    let k = Math.max(nextWake, Math.floor(time / interval));
    while (k * interval <= time) k++;
    nextWake = k;
  };
  const write = (page: number, op: number, time: number): void => {
    ensure(page);
    if (page + 1 > pageLimit) pageLimit = page + 1;
    const v = ++version[page];
    const k = Math.floor(time / interval);
    if (dirty[page] === 0 || lastWriteInterval[page] !== k) wpFaults++;
    lastWriteInterval[page] = k;
    const n = wTimes.n;
    wTimes.push(time);
    wPages.push(page);
    wVersions.push(v);
    if (n >= wFsync.length) wFsync = growUint8(wFsync, n * 2 + 1);
    if ((op & OP_FSYNC_BIT) !== 0) {
      fsyncWrites++;
      syncWrites++;
      wFsync[n] = 1;
      // Durable before it is acknowledged: the page (all its versions) is clean now.
      if (!clean(page, time)) durable(page, time);
      return;
    }
    if (dirty[page] === 1) return;
    dirty[page] = 1;
    dirtyCount++;
    if (dirtyCount > peakDirty) peakDirty = dirtyCount;
    fifo.push(page, ++gen[page], time);
    openInterval[page] = starts.n;
    starts.push(time);
    ends.push(Number.POSITIVE_INFINITY);
  };

  let now = Number.NEGATIVE_INFINITY;
  let startTime = Number.NaN;
  let index = 0;
  for await (const chunk of chunks as AsyncIterable<RefChunk>) {
    const { pages, ops, times } = chunk;
    for (let i = 0; i < chunk.length; i++, index++) {
      let time = times === null ? index / config.untimedRate : times[i];
      if (time < now) time = now;
      else now = time;
      if (index === 0) startTime = time;
      advance(time);
      const page = pages[i];
      const op = ops[i];
      if ((op & OP_DIRECT_BIT) !== 0) continue;
      if (policy !== null && !policy.access(page, index)) {
        const victim = policy.insert(page, index);
        if (victim === page) {
          // Zero-page memory: a write passes straight to disk.
          if ((op & OP_WRITE_BIT) !== 0) {
            write(page, OP_WRITE_FSYNC, time);
            if ((op & OP_FSYNC_BIT) === 0) fsyncWrites--;
          }
          continue;
        }
        if (victim >= 0 && clean(victim, time)) evictionWrites++;
        if (policy.nextVictim !== undefined)
          for (let v = policy.nextVictim(); v >= 0; v = policy.nextVictim())
            if (clean(v, time)) evictionWrites++;
      } else if (policy?.nextVictim !== undefined) {
        for (let v = policy.nextVictim(); v >= 0; v = policy.nextVictim())
          if (clean(v, time)) evictionWrites++;
      }
      if ((op & OP_WRITE_BIT) !== 0) write(page, op, time);
    }
    await checkpoint(control);
  }
  if (index === 0) throw new RangeError('the workload has no references');

  const writePages = wPages.view().slice();
  const writeTimes = wTimes.view().slice();
  const writeVersions = wVersions.view().slice();
  const writeFsync = wFsync.slice(0, wTimes.n);
  const endsArr = ends.view().slice();
  return {
    dirtyExpire: expire,
    interval,
    startTime,
    endTime: now,
    references: index,
    writeTimes,
    writePages,
    writeVersions,
    writeFsync,
    fsyncWrites,
    starts: starts.view().slice(),
    ends: endsArr,
    sortedEnds: endsArr.slice().sort(),
    wpFaults,
    flusherWrites,
    evictionWrites,
    syncWrites,
    peakDirty,
    pageLimit,
    writesByPage: groupByPage(pageLimit, writePages, writeTimes, writeVersions),
    fsyncByPage: groupByPage(pageLimit, writePages, writeTimes, writeVersions, writeFsync),
    durableByPage: groupByPage(pageLimit, dPages.view(), dTimes.view(), dVersions.view()),
  };
}
