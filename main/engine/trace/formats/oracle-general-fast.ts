/**
 * The fused oracleGeneral reader (one page per record, no splitting): reads the records straight
 * from the buffer through 32-bit views, gathers (time, id) of a batch into typed arrays and hands
 * the batch to the sink in bulk (one dense-id lookup loop, one copy into the chunk). Gives exactly
 * the references, dense ids and statistics of {@link OracleGeneralParser}, which it falls back to
 * for any record whose time the sink does not accept.
 */
import type { RefSink } from '../sink.js';
import { OracleGeneralParser, ORACLE_GENERAL_RECORD } from './oracle-general.js';
import { BATCH } from './read-batch.js';
import { u32le } from './records.js';

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

  protected override records(b: Uint8Array, offset: number, count: number): void {
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
        for (let w = 0; k < n; k++, w += WORDS) {
          const t = u[w];
          if (!this.timeAccepted(t)) {
            bad = k;
            break;
          }
          times[k] = t;
          los[k] = s[w + 1];
          his[k] = s[w + 2];
        }
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
