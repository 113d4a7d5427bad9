/** `raw-u32`: little-endian unsigned 32-bit block numbers, nothing else (w106-style). */
import type { RefSink } from '../sink.js';
import { BATCH, ReadBatch } from './read-batch.js';
import { RecordParser } from './records.js';

export class RawU32Parser extends RecordParser {
  private readonly batch: ReadBatch;

  constructor(sink: RefSink) {
    super(sink, 4);
    sink.timed = false;
    sink.split = false;
    this.batch = new ReadBatch(sink, sink.volume());
  }

  protected records(b: Uint8Array, offset: number, count: number): void {
    const los = this.batch.los;
    let at = offset;
    for (let left = count; left > 0 && !this.sink.done;) {
      const n = Math.min(left, BATCH);
      for (let k = 0; k < n; k++, at += 4) {
        los[k] = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
      }
      this.batch.flush(n);
      left -= n;
    }
    this.record += count;
  }
}
