/**
 * Base of the line-oriented text formats: cuts the byte stream into lines (LF or CRLF; the last
 * line may lack a newline), carrying a partial line over from one buffer to the next.
 */
import type { RefSink } from '../sink.js';
import type { FormatParser } from './parser.js';

/** Longest line accepted; longer ones are malformed (most likely a binary file read as text). */
export const MAX_LINE_BYTES = 1 << 20;

export abstract class LineParser implements FormatParser {
  /** 1-based number of the current line. */
  protected lineNo = 0;
  private carry: Uint8Array = new Uint8Array(256);
  private carryLen = 0;
  private discarding = false;

  constructor(protected readonly sink: RefSink) {}

  /** Handles one line, [start, end) of b, without its '\n' (a trailing '\r' is still there). */
  protected abstract line(b: Uint8Array, start: number, end: number): void;

  push(data: Uint8Array): void {
    const sink = this.sink;
    const n = data.length;
    let start = 0;
    if (this.carryLen > 0 || this.discarding) {
      const nl = data.indexOf(10);
      if (nl < 0) {
        this.append(data, 0, n);
        return;
      }
      this.append(data, 0, nl);
      this.lineNo++;
      if (this.discarding) this.discarding = false;
      else this.line(this.carry, 0, this.carryLen);
      this.carryLen = 0;
      start = nl + 1;
    }
    while (start < n && !sink.done) {
      const nl = data.indexOf(10, start);
      if (nl < 0) break;
      this.lineNo++;
      this.line(data, start, nl);
      start = nl + 1;
    }
    if (start < n && !sink.done) this.append(data, start, n);
  }

  end(): void {
    if (this.sink.done) return;
    if (this.carryLen > 0 && !this.discarding) {
      this.lineNo++;
      this.line(this.carry, 0, this.carryLen);
    }
    this.carryLen = 0;
  }

  private append(data: Uint8Array, start: number, end: number): void {
    if (this.discarding) return;
    const len = this.carryLen + end - start;
    if (len > MAX_LINE_BYTES) {
      this.sink.bad(
        `line ${this.lineNo + 1}`,
        `lines shorter than ${MAX_LINE_BYTES} bytes (is this a binary file?)`,
      );
      this.discarding = true;
      this.carryLen = 0;
      return;
    }
    if (this.carry.length < len) {
      const bigger: Uint8Array = new Uint8Array(Math.max(len, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLen));
      this.carry = bigger;
    }
    this.carry.set(data.subarray(start, end), this.carryLen);
    this.carryLen = len;
  }
}
