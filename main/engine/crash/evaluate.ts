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
 * - `hv-rescue`: the hypervisor writes every dirty page back after the crash. It learns which
 *   pages are dirty from write-protect faults (timeline.wpFaults, each costing wpFaultUs) and
 *   takes a page's checksum at its last fault (the first write to the page in the writeback
 *   interval of its last write, or its first write after it was cleaned if later). Each dirty
 *   page is hit by a wild write of the crashing guest with probability pCorrupt, at a time
 *   uniform over the page's dirty period [first write after cleaning, crash]: after the
 *   checksum it is detected and the page discarded (recovered = disk); before it the checksum
 *   covers the damage, the corrupt page is written to disk (undetected corruption, lost);
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
import { COST_DEFAULTS } from '../../../shared/schema/defaults.js';
import type { CostModel } from '../config.js';
import type { Rng } from '../util/rng.js';
import { rngFor } from '../workload/source.js';
import { writeLog, type LogStore, type LogWriteStats } from './hv-log.js';
import { dirtyAt, lastAtOrBefore, lowerBound, upperBound, type CrashTimeline } from './timeline.js';

export const CRASH_STRATEGIES = ['os-delayed', 'write-through', 'hv-rescue', 'hv-log'] as const;
export type CrashStrategy = (typeof CRASH_STRATEGIES)[number];

/** Modelled replay speed: sequential log read (bytes/s); each replayed page is then one random
 * disk write (costs.diskWriteUs). */
export const LOG_READ_BYTES_PER_SECOND = 200e6;
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
  /** Times (µs) of random and sequential disk writes and of a write-protect fault; default
   * COST_DEFAULTS. */
  costs?: Partial<Pick<CostModel, 'diskWriteUs' | 'seqWriteUs' | 'wpFaultUs'>>;
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
  /** Mean pages per crash damaged before their checksum was taken and written to disk corrupt
   * (hv-rescue; counted as lost). */
  undetectedCorrupt: number;
  /** Corrupt pages written to disk over all trials (= undetectedCorrupt · trials). */
  corruptWritten: number;
  /** hv-rescue: write-protect faults over the run (the price of knowing the dirty pages). */
  wpFaults: number;
  /** Extra time during normal operation (s): write-through its synchronous random writes,
   * hv-rescue its write-protect faults, hv-log its log appends (sequential writes). */
  runtimeCostSeconds: number;
  /** Mean time to recover after a crash (s): hv-rescue its rescue writes (random), hv-log its
   * replay; 0 for the others. */
  recoverySeconds: number;
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
  /** The model's assumptions, in words (for the report). */
  assumptions: string[];
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

/**
 * When hv-rescue's checksum of a page dirty at crash time was taken: at its last write-protect
 * fault — the first write to the page in the writeback interval of its last write (≤ the
 * crash), or its first write after it was cleaned (version durable + 1) if that is later.
 */
export function checksumTime(
  tl: CrashTimeline,
  page: number,
  durableVersion: number,
  ackVersion: number,
): number {
  const off = tl.writesByPage.offsets[page];
  const times = tl.writesByPage.times;
  // Versions durable+1 .. ack are at off + durable .. off + ack − 1.
  let i = off + ackVersion - 1;
  const k = Math.floor(times[i] / tl.interval);
  while (i > off + durableVersion && Math.floor(times[i - 1] / tl.interval) === k) i--;
  return times[i];
}

/** The crash model's assumptions, written into every report. */
export function crashAssumptions(
  o: CrashOptions,
  costs: Pick<CostModel, 'diskWriteUs' | 'seqWriteUs' | 'wpFaultUs'>,
): string[] {
  return [
    'Crash: writes at time ≤ the crash are acknowledged; disk writes at time ≤ the crash are durable; ' +
      (o.powerFailure
        ? 'host power failure: the hypervisor goes down with the guest.'
        : 'guest crash: the hypervisor and host keep running.'),
    'Guest: delayed writeback (a flusher every writeback interval writes pages dirty for ≥ dirtyExpire); ' +
      "fsync'd and direct-I/O writes are durable when acknowledged.",
    `hv-rescue knows the dirty pages from write-protect faults: a write faults when its page is clean or ` +
      `when a flusher wake-up re-armed the protection since the page's previous write (the first write to a ` +
      `page per writeback interval); each fault costs ${costs.wpFaultUs} µs.`,
    `hv-rescue corruption: each rescued dirty page is hit by a wild write of the crashing guest with probability ` +
      `pCorrupt = ${o.pCorrupt}, at a time uniform over the page's dirty period. The checksum is taken at the ` +
      `page's last write-protect fault: a wild write after it is detected (the page is discarded, lost); a wild ` +
      'write before it is covered by the checksum and the corrupt page is written to disk (undetected corruption, ' +
      'counted as lost).',
    `hv-rescue writes each rescued page with a random disk write (${costs.diskWriteUs} µs) after the crash.`,
    `hv-log appends every guest write to a sequential log flushed every ${o.logFlushSeconds * 1000} ms ` +
      `(${costs.seqWriteUs} µs per 4 KiB record, sequential); a guest crash loses nothing acknowledged; a power ` +
      'failure loses the unflushed tail. Replay reads the log sequentially ' +
      `(${LOG_READ_BYTES_PER_SECOND / 1e6} MB/s) and writes each replayed page randomly (${costs.diskWriteUs} µs).`,
    `write-through: every write is a synchronous random disk write (${costs.diskWriteUs} µs).`,
  ];
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
  undetected: number;
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
  const costs = {
    diskWriteUs: o.costs?.diskWriteUs ?? COST_DEFAULTS.diskWriteUs,
    seqWriteUs: o.costs?.seqWriteUs ?? COST_DEFAULTS.seqWriteUs,
    wpFaultUs: o.costs?.wpFaultUs ?? COST_DEFAULTS.wpFaultUs,
  };
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
        undetected: 0,
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
              const damaged = o.pCorrupt > 0 && corruptRng.next() < o.pCorrupt;
              if (!damaged) {
                acc.rescueWrites++;
                rec = a;
              } else {
                // A wild write at a time uniform over the dirty period [since, c]; the
                // checksum was taken at the page's last write-protect fault.
                const since = tl.writesByPage.times[tl.writesByPage.offsets[p] + d];
                const wild = since + corruptRng.next() * (c - since);
                if (wild > checksumTime(tl, p, d, a)) {
                  acc.detected++;
                } else {
                  // Undetected: the corrupt page is written; version a is not recovered.
                  acc.undetected++;
                  acc.corruptWritten++;
                  acc.rescueWrites++;
                }
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
          bytes / LOG_READ_BYTES_PER_SECOND + replayWrites * (costs.diskWriteUs / 1e6);
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
      undetectedCorrupt: per(acc.undetected),
      corruptWritten: acc.corruptWritten,
      wpFaults: name === 'hv-rescue' ? tl.wpFaults : 0,
      runtimeCostSeconds:
        name === 'write-through'
          ? ((writes - diskWrites) * costs.diskWriteUs) / 1e6
          : name === 'hv-rescue'
            ? (tl.wpFaults * costs.wpFaultUs) / 1e6
            : name === 'hv-log'
              ? (writes * costs.seqWriteUs) / 1e6
              : 0,
      recoverySeconds:
        name === 'hv-rescue'
          ? (per(acc.rescueWrites) * costs.diskWriteUs) / 1e6
          : name === 'hv-log'
            ? per(acc.replaySeconds)
            : 0,
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
    assumptions: crashAssumptions(o, costs),
    crashTimes,
    timeline: downsampleTimeline(tl),
    log: logStats,
    writes,
    diskWrites,
    duration: tl.endTime - tl.startTime,
  };
}
