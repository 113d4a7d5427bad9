/**
 * The hv-log strategy's log (DESIGN.md §2 Crash model): the hypervisor appends every guest write
 * (page, version) to a durable log and flushes its buffer every Δ ms of VM time. Flush k happens
 * at k·Δ and carries the writes with time in ((k−1)·Δ, k·Δ]; a write at time t is therefore
 * durable in the log at ceil(t/Δ)·Δ.
 *
 * The engine stays free of I/O: the log lives behind {@link LogStore} (the project's SQLite
 * file, main/store/crash-log.ts). Sequence numbers are indexes into the timeline's write log.
 */
import type { CrashTimeline } from './timeline.js';

export interface LogRecord {
  seq: number;
  page: number;
  version: number;
  time: number;
}

export interface LogStore {
  /** Appends one flushed batch (one transaction). */
  appendBatch(records: readonly LogRecord[], flushTime: number): void;
  /** Records with fromSeq ≤ seq ≤ toSeq, in sequence order, read back from storage. */
  read(fromSeq: number, toSeq: number): Iterable<{ seq: number; page: number; version: number }>;
}

export interface LogWriteStats {
  batches: number;
  records: number;
  /** Largest batch (records held in the hypervisor's buffer before a flush). */
  peakBuffer: number;
}

/** Time of the flush that makes a write at `t` durable in the log. */
export function flushTimeOf(t: number, flushSeconds: number): number {
  return Math.ceil(t / flushSeconds) * flushSeconds;
}

/** Writes the timeline's write log to `store` in batches, one per flush interval. */
export function writeLog(tl: CrashTimeline, flushSeconds: number, store: LogStore): LogWriteStats {
  if (!(flushSeconds > 0))
    throw new RangeError(`log flush interval must be > 0, got ${flushSeconds}`);
  const n = tl.writeTimes.length;
  let batches = 0;
  let peakBuffer = 0;
  let batch: LogRecord[] = [];
  let batchFlush = Number.NaN;
  for (let i = 0; i < n; i++) {
    const f = flushTimeOf(tl.writeTimes[i], flushSeconds);
    if (batch.length > 0 && f !== batchFlush) {
      store.appendBatch(batch, batchFlush);
      batches++;
      peakBuffer = Math.max(peakBuffer, batch.length);
      batch = [];
    }
    batchFlush = f;
    batch.push({
      seq: i,
      page: tl.writePages[i],
      version: tl.writeVersions[i],
      time: tl.writeTimes[i],
    });
  }
  if (batch.length > 0) {
    store.appendBatch(batch, batchFlush);
    batches++;
    peakBuffer = Math.max(peakBuffer, batch.length);
  }
  return { batches, records: n, peakBuffer };
}

/** An in-memory LogStore (unit tests of the engine only; the product uses SQLite). */
export class MemoryLogStore implements LogStore {
  private readonly rows: { seq: number; page: number; version: number }[] = [];
  appendBatch(records: readonly LogRecord[]): void {
    for (const r of records) this.rows.push({ seq: r.seq, page: r.page, version: r.version });
  }
  *read(fromSeq: number, toSeq: number): Iterable<{ seq: number; page: number; version: number }> {
    for (let s = Math.max(0, fromSeq); s <= toSeq && s < this.rows.length; s++) yield this.rows[s];
  }
}
