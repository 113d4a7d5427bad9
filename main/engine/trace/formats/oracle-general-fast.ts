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

export class FastOracleGeneralParser extends OracleGeneralParser {
  private readonly his = new Int32Array(BATCH);
  private readonly los = new Int32Array(BATCH);
  private readonly times = new Float64Array(BATCH);

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
    const { his, los, times } = this;
    const u = new Uint32Array(b.buffer, b.byteOffset + offset, count * WORDS);
    const s = new Int32Array(b.buffer, b.byteOffset + offset, count * WORDS);
    const window = sink.timeWindow();
    const { forward, backward } = window;
    let prev = window.prev;
    let k = 0;
    let at = 0;
    while (at < count) {
      const end = Math.min(count, at + BATCH);
      const first = u[at * WORDS];
      let min = Infinity;
      let max = -Infinity;
      let kept = 0;
      let r = at;
      for (let w = r * WORDS; r < end; r++, w += WORDS) {
        // RefSink.timeProblem's checks, inlined (a u32 time is always in range).
        const t = u[w];
        if (prev === prev && (t - prev > forward || prev - t > backward)) break;
        prev = t;
        if (t < min) min = t;
        if (t > max) max = t;
        const lo = s[w + 1];
        const hi = s[w + 2];
        if ((hash64(hi, lo) & SHARDS_MASK) >= threshold) continue;
        times[kept] = t;
        los[kept] = lo;
        his[kept] = hi;
        kept++;
      }
      if (r === at) break;
      sink.acceptedTimes(prev, min, max);
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
    const his = this.his;
    const los = this.los;
    const times = this.times;
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
        let min = Infinity;
        let max = -Infinity;
        for (let w = 0; k < n; k++, w += WORDS) {
          // RefSink.timeProblem's checks, inlined (a u32 time is always in range).
          const t = u[w];
          if (prev === prev && (t - prev > forward || prev - t > backward)) {
            bad = k;
            break;
          }
          prev = t;
          if (t < min) min = t;
          if (t > max) max = t;
          times[k] = t;
          los[k] = s[w + 1];
          his[k] = s[w + 2];
        }
        if (k > 0) sink.acceptedTimes(prev, min, max);
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
