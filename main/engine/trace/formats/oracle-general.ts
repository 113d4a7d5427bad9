/**
 * libCacheSim `oracleGeneral`: packed 24-byte little-endian records
 * (u32 clock_time s, u64 obj_id, u32 obj_size, i64 next_access_vtime). Timed, all reads.
 * The object id is one page; with `split` it is a block number of sectorSize bytes and the
 * request covers obj_size bytes.
 */
import { OP_READ } from '../chunk.js';
import type { DenseIdMap } from '../id-map.js';
import type { RefSink } from '../sink.js';
import { RecordParser, u32le } from './records.js';

export const ORACLE_GENERAL_RECORD = 24;

export class OracleGeneralParser extends RecordParser {
  private readonly map: DenseIdMap;

  constructor(sink: RefSink, split: boolean) {
    super(sink, ORACLE_GENERAL_RECORD);
    sink.timed = true;
    sink.split = split;
    this.map = sink.volume();
  }

  protected records(b: Uint8Array, offset: number, count: number): void {
    const sink = this.sink;
    for (let k = 0; k < count && !sink.done; k++) {
      const at = offset + k * ORACLE_GENERAL_RECORD;
      this.record++;
      const time = u32le(b, at);
      const lo = u32le(b, at + 4);
      const hi = u32le(b, at + 8);
      const size = u32le(b, at + 12);
      const problem = sink.timeProblem(time) ?? (sink.split ? sink.sizeProblem(size) : null);
      if (problem !== null) {
        sink.bad(`record ${this.record}`, problem, `time ${time} s, obj_size ${size}`);
        continue;
      }
      if (!sink.block(this.map, hi, lo, size, OP_READ, time)) {
        sink.bad(`record ${this.record}`, 'an obj_id small enough to split into pages');
      }
    }
  }
}
