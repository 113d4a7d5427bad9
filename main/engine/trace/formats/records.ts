/**
 * Base of the fixed-size binary record formats: hands whole records to the subclass, carrying a
 * partial record over from one buffer to the next, and reports a truncated last record.
 */
import type { RefSink } from '../sink.js';
import type { FormatParser } from './parser.js';

/** Little-endian unsigned 32-bit integer at b[at]. */
export function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** Little-endian unsigned 16-bit integer at b[at]. */
export function u16le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

export abstract class RecordParser implements FormatParser {
  /** Records handled so far; the current record's 1-based number while handling it. */
  protected record = 0;
  private readonly carry: Uint8Array;
  private carryLen = 0;

  constructor(
    protected readonly sink: RefSink,
    protected readonly recordSize: number,
  ) {
    this.carry = new Uint8Array(recordSize);
  }

  /** Handles `count` whole records starting at b[offset]; increments {@link record} per record and stops when the sink is done. */
  protected abstract records(b: Uint8Array, offset: number, count: number): void;

  push(data: Uint8Array): void {
    const size = this.recordSize;
    let at = 0;
    if (this.carryLen > 0) {
      at = Math.min(size - this.carryLen, data.length);
      this.carry.set(data.subarray(0, at), this.carryLen);
      this.carryLen += at;
      if (this.carryLen < size) return;
      this.carryLen = 0;
      this.records(this.carry, 0, 1);
    }
    const count = Math.floor((data.length - at) / size);
    if (count > 0 && !this.sink.done) this.records(data, at, count);
    at += count * size;
    if (at < data.length) {
      this.carry.set(data.subarray(at));
      this.carryLen = data.length - at;
    }
  }

  end(): void {
    if (this.carryLen === 0 || this.sink.done) return;
    const n = this.record + 1;
    this.sink.bad(
      `record ${n}`,
      `a ${this.recordSize}-byte record`,
      `only ${this.carryLen} bytes at byte ${this.record * this.recordSize} (truncated file)`,
    );
    this.carryLen = 0;
  }
}
