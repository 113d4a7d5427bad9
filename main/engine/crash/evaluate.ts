/**
 * Crash model, step 2 (DESIGN.md §2 Crash model): evaluate N crash times against the timeline
 * recorded once by {@link recordTimeline} — no re-simulation per trial.
 *
 * For a crash at time c (writes at time ≤ c are acknowledged, disk writes at time ≤ c are
 * durable), each page has an acknowledged version ack (its latest write ≤ c), a durable version
 * disk (the latest version on disk at c) and an fsync'd version (its latest fsync'd write ≤ c).
 * Each strategy recovers a version per page; the page is lost when recovered < ack, and an
 * fsync'd write is lost when recovered < fsync'd version (must never happen: counted and checked).
 *
 * Strategies, guest crash (the guest OS dies, the hypervisor and host keep running):
 * - `os-delayed`: recovered = disk (dirty pages not yet written back are lost);
 * - `write-through`: every write is on disk when it returns, recovered = ack (nothing lost);
 * - `hv-rescue`: the hypervisor writes every dirty page back after the crash; each is damaged
 *   with probability pCorrupt, which its checksum (taken by the hypervisor when the guest wrote
 *   it) detects: the page is discarded (recovered = disk) and counted, never written;
 * - `hv-log`: the log (flushed buffer + the buffer the live hypervisor flushes at the crash) is
 *   read back from its store and replayed: recovered = max(disk, latest logged version).
 * Host power failure (`powerFailure`): the whole host stops, so
 * - `os-delayed` loses its dirty pages as above; `write-through` still loses nothing;
 * - `hv-rescue` cannot rescue (the hypervisor is down): it loses exactly what os-delayed loses;
 * - `hv-log` replays only what was flushed: a write at t is in the log iff
 *   ceil(t/Δ)·Δ ≤ c, so it loses the writes after the last flush floor(c/Δ)·Δ (the unflushed
 *   tail) whose page was not made durable otherwise.
 *
 * Only pages written in (c − dirtyExpire − interval, c] can be dirty at c (a dirty interval is
 * shorter than dirtyExpire + interval), so each trial checks those pages one by one; the hv-log
 * replay starts at the same point (the log is checkpointed: older records are on disk). The
 * os-delayed count is cross-checked against the timeline's O(log n) count
 * #(dirty since ≤ c) − #(cleaned ≤ c).
 */
import { hash32 } from '../util/hash.js';
import type { Rng } from '../util/rng.js';
import { rngFor } from '../workload/source.js';
import { writeLog, type LogStore, type LogWriteStats } from './hv-log.js';
import { dirtyAt, lastAtOrBefore, lowerBound, upperBound, type CrashTimeline } from './timeline.js';

export const CRASH_STRATEGIES = ['os-delayed', 'write-through', 'hv-rescue', 'hv-log'] as const;
export type CrashStrategy = (typeof CRASH_STRATEGIES)[number];

/** Modelled replay speed: sequential log read (bytes/s) and one random disk write per page. */
export const LOG_READ_BYTES_PER_SECOND = 200e6;
export const REPLAY_PAGE_WRITE_SECONDS = 0.005;
/** Bytes of a log record besides the page: seq, page id, version, time. */
export const LOG_RECORD_HEADER_BYTES = 24;

export interface CrashOptions {
  strategies: readonly CrashStrategy[];
  /** Monte Carlo trials (ignored when crashTimes is given). */
  trials: number;
  seed: number;
  /** Explicit crash times (s); otherwise a Poisson process over the workload's duration. */
  crashTimes?: readonly number[];
  /** Δ: hv-log flush interval in seconds. */
  logFlushSeconds: number;
  pCorrupt: number;
  powerFailure: boolean;
  pageSize: number;
  /** Where hv-log keeps its log (required when hv-log is evaluated). */
  log?: LogStore;
}

export interface StrategyResult {
  name: CrashStrategy;
  trials: number;
  meanPagesLost: number;
  ci95: [number, number];
  maxPagesLost: number;
  meanBytesLost: number;
  /** fsync'd writes lost over all trials (always 0; a bug otherwise). */
  fsyncedLost: number;
  /** Mean pages per crash found corrupt by checksum and discarded (hv-rescue). */
  detectedCorrupt: number;
  /** Corrupt pages written to disk over all trials (always 0: checked by checksum). */
  corruptWritten: number;
  /** Extra disk writes vs os-delayed (write-through: per run; hv-log: log records; hv-rescue:
   * mean rescue writes per crash). */
  extraDiskWrites: number;
  /** Age (s) of the oldest lost write, the largest over all trials (0 when nothing is lost). */
  lossWindowSeconds: number;
  /** hv-log: mean records, bytes and modelled seconds of a replay. */
  replay?: { records: number; bytes: number; seconds: number };
  /** Memory held for recovery: hv-rescue the peak dirty pages it must keep, hv-log the largest
   * unflushed log buffer (records); 0 for the others. */
  memoryOverheadPages: number;
  /** Pages lost per trial (in crash-time order of `crashTimes`). */
  lostPerTrial: number[];
}

export interface CrashResult {
  strategies: StrategyResult[];
  crashTimes: number[];
  /** Dirty (acknowledged, not durable) pages over time, ≤ 1000 points. */
  timeline: { times: number[]; dirtyPages: number[] };
  log?: LogWriteStats;
  writes: number;
  diskWrites: number;
  duration: number;
}

/** N crash times of a Poisson process of rate N/T over [start, end), wrapped around. */
export function poissonCrashTimes(rng: Rng, n: number, start: number, end: number): number[] {
  const span = end - start;
  if (!(span > 0)) return Array.from({ length: n }, () => start);
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.exponential(n / span);
    out.push(start + (t % span));
  }
  return out;
}

export function meanCi(xs: readonly number[]): { mean: number; ci95: [number, number] } {
  const n = xs.length;
  if (n === 0) return { mean: 0, ci95: [0, 0] };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n === 1) return { mean, ci95: [mean, mean] };
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const half = (1.96 * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half] };
}

function checksum(page: number, data: number): number {
  return hash32(hash32(page ^ 0x2545f491) ^ Math.imul(data, 0x9e3779b1));
}

export function downsampleTimeline(
  tl: CrashTimeline,
  points = 1000,
): { times: number[]; dirtyPages: number[] } {
  const times: number[] = [];
  const dirtyPages: number[] = [];
  const span = tl.endTime - tl.startTime;
  const n = span > 0 ? points : 1;
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? tl.startTime : tl.startTime + (span * i) / (n - 1);
    times.push(t);
    dirtyPages.push(dirtyAt(tl, t));
  }
  return { times, dirtyPages };
}

interface Acc {
  lost: number[];
  bytes: number;
  fsyncedLost: number;
  detected: number;
  corruptWritten: number;
  rescueWrites: number;
  window: number;
  replayRecords: number;
  replayBytes: number;
  replaySeconds: number;
}

/** Evaluates every strategy at every crash time against the timeline. */
export function evaluateCrashes(tl: CrashTimeline, o: CrashOptions): CrashResult {
  const strategies = [...new Set(o.strategies)];
  if (!(o.pCorrupt >= 0 && o.pCorrupt <= 1))
    throw new RangeError(`pCorrupt must be in [0, 1], got ${o.pCorrupt}`);
  const useLog = strategies.includes('hv-log');
  if (useLog && o.log === undefined) throw new Error('hv-log needs a log store');
  const crashTimes =
    o.crashTimes !== undefined
      ? [...o.crashTimes]
      : poissonCrashTimes(rngFor(o.seed, 'crash-times'), o.trials, tl.startTime, tl.endTime);
  const corruptRng = rngFor(o.seed, 'corrupt');
  const logStats =
    useLog && o.log !== undefined ? writeLog(tl, o.logFlushSeconds, o.log) : undefined;

  const horizon = tl.dirtyExpire + tl.interval;
  const stamp = new Int32Array(tl.pageLimit).fill(-1);
  const ack = new Int32Array(tl.pageLimit);
  const replayStamp = new Int32Array(tl.pageLimit).fill(-1);
  const replayed = new Int32Array(tl.pageLimit);
  const candidates: number[] = [];
  const accs = new Map<CrashStrategy, Acc>(
    strategies.map((s) => [
      s,
      {
        lost: [],
        bytes: 0,
        fsyncedLost: 0,
        detected: 0,
        corruptWritten: 0,
        rescueWrites: 0,
        window: 0,
        replayRecords: 0,
        replayBytes: 0,
        replaySeconds: 0,
      },
    ]),
  );

  crashTimes.forEach((c, trial) => {
    const wFrom = lowerBound(tl.writeTimes, c - horizon);
    const wTo = upperBound(tl.writeTimes, c);
    candidates.length = 0;
    for (let i = wFrom; i < wTo; i++) {
      const p = tl.writePages[i];
      if (stamp[p] !== trial) {
        stamp[p] = trial;
        candidates.push(p);
      }
      ack[p] = tl.writeVersions[i];
    }
    const disk = candidates.map((p) => {
      const k = lastAtOrBefore(tl.durableByPage, p, c);
      return k < 0 ? 0 : tl.durableByPage.versions[k];
    });
    const fsynced = candidates.map((p) => {
      const k = lastAtOrBefore(tl.fsyncByPage, p, c);
      return k < 0 ? 0 : tl.fsyncByPage.versions[k];
    });

    for (const name of strategies) {
      const acc = accs.get(name) as Acc;
      let replayRecords = 0;
      if (name === 'hv-log' && o.log !== undefined && wTo > wFrom) {
        // Power failure: only flushed batches survive (the last flush is at floor(c/Δ)·Δ).
        const lastSeq = o.powerFailure
          ? upperBound(tl.writeTimes, Math.floor(c / o.logFlushSeconds) * o.logFlushSeconds) - 1
          : wTo - 1;
        for (const r of o.log.read(wFrom, lastSeq)) {
          replayRecords++;
          if (replayStamp[r.page] !== trial || replayed[r.page] < r.version) {
            replayStamp[r.page] = trial;
            replayed[r.page] = r.version;
          }
        }
      }
      let lost = 0;
      let oldest = Number.POSITIVE_INFINITY;
      let replayWrites = 0;
      candidates.forEach((p, j) => {
        const a = ack[p];
        const d = disk[j];
        let rec: number;
        switch (name) {
          case 'os-delayed':
            rec = d;
            break;
          case 'write-through':
            rec = a;
            break;
          case 'hv-rescue':
            rec = d;
            if (!o.powerFailure && a > d) {
              // The hypervisor took a checksum when the guest wrote version a; the page's
              // contents may have been damaged by the crash.
              const sum = checksum(p, a);
              const damaged = o.pCorrupt > 0 && corruptRng.next() < o.pCorrupt;
              const data = damaged ? a ^ (1 + corruptRng.int(0x3fffffff)) : a;
              if (checksum(p, data) !== sum) {
                acc.detected++;
              } else {
                if (data !== a) acc.corruptWritten++;
                acc.rescueWrites++;
                rec = data === a ? a : d;
              }
            }
            break;
          case 'hv-log':
            rec = replayStamp[p] === trial && replayed[p] > d ? replayed[p] : d;
            if (rec > d) replayWrites++;
            break;
        }
        if (rec < a) {
          lost++;
          const off = tl.writesByPage.offsets[p];
          const firstLostWrite = tl.writesByPage.times[off + rec];
          if (firstLostWrite < oldest) oldest = firstLostWrite;
        }
        if (rec < fsynced[j]) acc.fsyncedLost++;
      });
      if (name === 'os-delayed') {
        const expected = dirtyAt(tl, c);
        if (expected !== lost)
          throw new Error(
            `crash model inconsistency at t=${c}: ${lost} pages lost by the page check, ${expected} dirty in the timeline`,
          );
      }
      acc.lost.push(lost);
      acc.bytes += lost * o.pageSize;
      if (lost > 0) acc.window = Math.max(acc.window, c - oldest);
      if (name === 'hv-log') {
        const bytes = replayRecords * (o.pageSize + LOG_RECORD_HEADER_BYTES);
        acc.replayRecords += replayRecords;
        acc.replayBytes += bytes;
        acc.replaySeconds +=
          bytes / LOG_READ_BYTES_PER_SECOND + replayWrites * REPLAY_PAGE_WRITE_SECONDS;
      }
    }
  });

  const n = crashTimes.length;
  const writes = tl.writeTimes.length;
  const diskWrites = tl.flusherWrites + tl.evictionWrites + tl.syncWrites;
  const results = strategies.map((name): StrategyResult => {
    const acc = accs.get(name) as Acc;
    const { mean, ci95 } = meanCi(acc.lost);
    const per = (x: number): number => (n === 0 ? 0 : x / n);
    return {
      name,
      trials: n,
      meanPagesLost: mean,
      ci95,
      maxPagesLost: acc.lost.reduce((m, x) => Math.max(m, x), 0),
      meanBytesLost: per(acc.bytes),
      fsyncedLost: acc.fsyncedLost,
      detectedCorrupt: per(acc.detected),
      corruptWritten: acc.corruptWritten,
      extraDiskWrites:
        name === 'write-through'
          ? writes - diskWrites
          : name === 'hv-log'
            ? writes
            : name === 'hv-rescue'
              ? per(acc.rescueWrites)
              : 0,
      lossWindowSeconds: acc.window,
      replay:
        name === 'hv-log'
          ? {
              records: per(acc.replayRecords),
              bytes: per(acc.replayBytes),
              seconds: per(acc.replaySeconds),
            }
          : undefined,
      memoryOverheadPages:
        name === 'hv-rescue' ? tl.peakDirty : name === 'hv-log' ? (logStats?.peakBuffer ?? 0) : 0,
      lostPerTrial: acc.lost,
    };
  });
  return {
    strategies: results,
    crashTimes,
    timeline: downsampleTimeline(tl),
    log: logStats,
    writes,
    diskWrites,
    duration: tl.endTime - tl.startTime,
  };
}
