/**
 * The fused oracleGeneral reader (one page per record, no splitting): reads the records straight
 * from the buffer through 32-bit views, gathers (time, id) of a batch into typed arrays and hands
 * the batch to the sink in bulk (one dense-id lookup loop, one copy into the chunk). Gives exactly
 * the references, dense ids and statistics of {@link OracleGeneralParser}, which it falls back to
 * for any record whose time the sink does not accept.
 */
import { SHARDS_MASK, type RefSink } from '../sink.js';
import { OracleGeneralParser, ORACLE_GENERAL_RECORD } from './oracle-general.js';
import { BATCH } from './read-batch.js';
import { u32le } from './records.js';
import { hash64 } from '../../util/hash.js';

const WORDS = ORACLE_GENERAL_RECORD / 4;

/** Largest gap the int32 time checks test (a larger allowed gap is clamped to it). */
const INT_GAP = 2 ** 30 - 1;
/** Batches checked exactly after the int32 checks refused one. */
const EXACT_AFTER_REFUSAL = 64;

/**
 * SHARDS sampling of records [at, end) whose times (read as int32) all lie below 2^31 and step by
 * at most `span - back` forward and `back` backward from `prev` (a time below 2^31): gathers the
 * sampled (time, lo, hi) into `out` and returns how many it kept; returns -1 (what it gathered
 * does not count) if any time fails those checks. The checks are accumulated without branches in
 * `bad` (its sign bit), which makes this loop cheaper than the exact checks; a batch it refuses is
 * redone by the exact loop.
 */
function sampledBatch(
  s: Int32Array,
  at: number,
  end: number,
  before: number,
  back: number,
  span: number,
  threshold: number,
  out: TimedBatch,
): number {
  let prev = before | 0;
  let bad = before < 2 ** 31 ? 0 : -1;
  let kept = 0;
  for (let w = at * WORDS, stop = end * WORDS; w < stop; w += WORDS) {
    const t = s[w];
    const d = (((t - prev) | 0) + back) | 0;
    bad |= t | d | (span - d);
    prev = t;
    kept = out.keepIfSampled(kept, t, s[w + 1], s[w + 2], threshold);
  }
  if (bad < 0) return -1;
  return kept;
}

/** Scratch arrays in which a batch's (time, lo, hi) are gathered. */
class TimedBatch {
  readonly his = new Int32Array(BATCH);
  readonly los = new Int32Array(BATCH);
  readonly times = new Float64Array(BATCH);

  /** Gathers the record at slot `kept` if its raw id hashes below `threshold`; the new count. */
  keepIfSampled(kept: number, t: number, lo: number, hi: number, threshold: number): number {
    if ((hash64(hi, lo) & SHARDS_MASK) >= threshold) return kept;
    this.times[kept] = t;
    this.los[kept] = lo;
    this.his[kept] = hi;
    return kept + 1;
  }
}

export class FastOracleGeneralParser extends OracleGeneralParser {
  private readonly batch = new TimedBatch();
  /** Batches still to check exactly before the int32 checks are tried again. */
  private exactBatches = 0;

  constructor(sink: RefSink) {
    super(sink, false);
  }

  /**
   * Whether the record at this time goes through the batch; a record that is not is handled by
   * the generic per-record path (which checks it and reports it): the sink's time checks (limits,
   * gaps) decide, and an accepted time is remembered as the previous one.
   */
  protected timeAccepted(time: number): boolean {
    return this.sink.timeProblem(time) === null;
  }

  /**
   * SHARDS sampling in the read loop: every record's time is checked and its raw id hashed, and
   * only the sampled records are gathered and handed over. Stops before a record whose time the
   * sink does not accept (the generic path reports it); returns how many records it consumed.
   */
  private sampledRecords(b: Uint8Array, offset: number, count: number): number {
    const sink = this.sink;
    const map = sink.volume();
    const threshold = sink.sampleThreshold;
    const batch = this.batch;
    const { his, los, times } = batch;
    const u = new Uint32Array(b.buffer, b.byteOffset + offset, count * WORDS);
    const s = new Int32Array(b.buffer, b.byteOffset + offset, count * WORDS);
    const window = sink.timeWindow();
    const { forward, backward } = window;
    // The batch's time checks in int32 arithmetic (see sampledBatch): the gaps, clamped.
    const back = Math.floor(Math.min(backward, INT_GAP));
    const span = back + Math.floor(Math.min(forward, INT_GAP));
    let prev = window.prev;
    let k = 0;
    let at = 0;
    while (at < count) {
      const end = Math.min(count, at + BATCH);
      const first = u[at * WORDS];
      let r = end;
      let kept = -1;
      if (this.exactBatches > 0) this.exactBatches--;
      else if (prev === prev) {
        kept = sampledBatch(s, at, end, prev, back, span, threshold, batch);
        // Refused: check the next batches exactly too (times from 2^31 would pay twice).
        if (kept < 0) this.exactBatches = EXACT_AFTER_REFUSAL;
      }
      if (kept >= 0) {
        prev = s[(end - 1) * WORDS];
      } else {
        // A time at or above 2^31, a gap the int32 checks refuse (the exact checks may accept it),
        // no previous time, or a batch after a refusal: the exact checks, record by record.
        kept = 0;
        r = at;
        for (let w = r * WORDS; r < end; r++, w += WORDS) {
          // RefSink.timeProblem's checks, inlined (a u32 time is always in range).
          const t = u[w];
          if (prev === prev && (t - prev > forward || prev - t > backward)) break;
          prev = t;
          kept = batch.keepIfSampled(kept, t, s[w + 1], s[w + 2], threshold);
        }
        if (r === at) break;
      }
      sink.acceptedTimes(prev);
      sink.readSampledTimed(map, his, los, times, kept, r - at, first, u[(r - 1) * WORDS]);
      k += r - at;
      this.record += r - at;
      if (r < end) break;
      at = end;
    }
    return k;
  }

  protected override records(b: Uint8Array, offset: number, count: number): void {
    if (this.sink.samplesInParser && ((b.byteOffset + offset) & 3) === 0) {
      const done = this.sampledRecords(b, offset, count);
      offset += done * ORACLE_GENERAL_RECORD;
      count -= done;
      if (count === 0) return;
    }
    const sink = this.sink;
    const map = sink.volume();
    const { his, los, times } = this.batch;
    let at = offset;
    let left = count;
    while (left > 0 && !sink.done) {
      const n = Math.min(left, BATCH);
      let k = 0;
      let bad = -1;
      if (((b.byteOffset + at) & 3) === 0) {
        const u = new Uint32Array(b.buffer, b.byteOffset + at, n * WORDS);
        const s = new Int32Array(b.buffer, b.byteOffset + at, n * WORDS);
        const { prev: before, forward, backward } = sink.timeWindow();
        let prev = before;
        for (let w = 0; k < n; k++, w += WORDS) {
          // RefSink.timeProblem's checks, inlined (a u32 time is always in range).
          const t = u[w];
          if (prev === prev && (t - prev > forward || prev - t > backward)) {
            bad = k;
            break;
          }
          prev = t;
          times[k] = t;
          los[k] = s[w + 1];
          his[k] = s[w + 2];
        }
        if (k > 0) sink.acceptedTimes(prev);
      } else {
        for (let p = at; k < n; k++, p += ORACLE_GENERAL_RECORD) {
          const t = u32le(b, p);
          if (!this.timeAccepted(t)) {
            bad = k;
            break;
          }
          times[k] = t;
          los[k] = u32le(b, p + 4) | 0;
          his[k] = u32le(b, p + 8) | 0;
        }
      }
      if (k > 0) {
        sink.readManyTimed(map, his, los, times, k);
        this.record += k;
      }
      at += k * ORACLE_GENERAL_RECORD;
      left -= k;
      if (bad >= 0 && !sink.done) {
        super.records(b, at, 1);
        at += ORACLE_GENERAL_RECORD;
        left--;
      }
    }
  }
}
