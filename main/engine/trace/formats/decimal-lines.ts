/**
 * A byte-at-a-time state machine for "one decimal page id per line" text (txt and lirs). It parses
 * digits as it scans, so it needs no line buffer and makes no strings: the hot path of the
 * fastest format. Ids are unsigned integers below 2^64; blanks around them are allowed and blank
 * lines are skipped. With `comments` (lirs), `#` starts a comment and a line holding only `*` is
 * a marker; both are skipped.
 */
import type { RefSink } from '../sink.js';
import { show } from './bytes.js';
import type { FormatParser } from './parser.js';
import { BATCH, ReadBatch } from './read-batch.js';

const TWO32 = 4294967296;
/** Below this, v * 10 + 9 is still an exact double. */
const EXACT = 9e14;

const NEWLINE = new Uint8Array([10]);

const START = 0; // only blanks so far on this line
const NUM = 1; // inside the id
const AFTER = 2; // blanks after the id
const NUM_COMMENT = 3; // comment after the id
const COMMENT = 4; // comment line
const MARK = 5; // '*' marker line
const SKIP = 6; // malformed line being skipped

export class DecimalLinesParser implements FormatParser {
  private readonly batch: ReadBatch;
  private line = 1;
  private state = START;
  private v = 0;
  private big = false;
  private hi = 0;
  private lo = 0;

  constructor(
    private readonly sink: RefSink,
    private readonly comments: boolean,
  ) {
    this.batch = new ReadBatch(sink, sink.volume());
  }

  push(b: Uint8Array): void {
    const sink = this.sink;
    const { his, los } = this.batch;
    const n = b.length;
    let st = this.state;
    let v = this.v;
    let count = 0;
    let lineStart = 0;
    for (let i = 0; i < n; i++) {
      if (st === START) {
        // Fast path: a whole line of up to 15 digits ending in LF or CRLF.
        let j = i;
        let w = 0;
        while (j < n && j - i < 15) {
          const d = (b[j] - 48) >>> 0;
          if (d >= 10) break;
          w = w * 10 + d;
          j++;
        }
        if (j > i && j < n) {
          if (b[j] === 13 && j + 1 < n) j++;
          if (b[j] === 10) {
            his[count] = w >= TWO32 ? Math.floor(w / TWO32) : 0;
            los[count] = w; // stored modulo 2^32
            this.line++;
            lineStart = i = j;
            lineStart++;
            if (++count === BATCH) {
              this.batch.flush(count);
              count = 0;
              if (sink.done) return;
            }
            continue;
          }
        }
      }
      const c = b[i];
      const d = (c - 48) >>> 0;
      if (d < 10) {
        if (st <= NUM) {
          st = NUM;
          if (v < EXACT)
            v = v * 10 + d; // once big, v stays ≥ EXACT
          else if (!this.bigDigit(v, d)) st = this.bad(b, lineStart, i, 'a page id below 2^64');
          continue;
        }
        if (st === AFTER || st === MARK) st = this.bad(b, lineStart, i, 'one page id per line');
        continue;
      }
      if (c === 10) {
        if (st === NUM || st === AFTER || st === NUM_COMMENT) {
          if (this.big) {
            his[count] = this.hi;
            los[count] = this.lo;
            this.big = false;
          } else {
            his[count] = v >= TWO32 ? Math.floor(v / TWO32) : 0;
            los[count] = v; // stored modulo 2^32
          }
          if (++count === BATCH) {
            this.batch.flush(count);
            count = 0;
            if (sink.done) {
              this.state = START;
              return;
            }
          }
        }
        this.line++;
        st = START;
        v = 0;
        lineStart = i + 1;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        if (st === NUM) st = AFTER;
        continue;
      }
      if (st >= NUM_COMMENT && st !== MARK) continue;
      if (this.comments && c === 35) {
        st = st === NUM || st === AFTER ? NUM_COMMENT : COMMENT;
        continue;
      }
      if (this.comments && c === 42 && st === START) {
        st = MARK;
        continue;
      }
      const expected = this.comments ? 'a decimal page id, # comment or *' : 'a decimal page id';
      st = this.bad(b, lineStart, i, expected);
    }
    this.batch.flush(count);
    this.state = st;
    this.v = v;
  }

  end(): void {
    const st = this.state;
    if (!this.sink.done && (st === NUM || st === AFTER || st === NUM_COMMENT)) {
      this.push(NEWLINE);
    }
    this.state = START;
  }

  /** Adds a digit in exact 64-bit (hi, lo) arithmetic; false on overflow. */
  private bigDigit(v: number, d: number): boolean {
    if (!this.big) {
      this.big = true;
      this.hi = Math.floor(v / TWO32);
      this.lo = v - this.hi * TWO32;
    }
    let lo = this.lo * 10 + d;
    const carry = Math.floor(lo / TWO32);
    lo -= carry * TWO32;
    this.lo = lo;
    this.hi = this.hi * 10 + carry;
    return this.hi < TWO32;
  }

  /** Reports the current line as malformed and returns the state that skips the rest of it. */
  private bad(b: Uint8Array, lineStart: number, at: number, expected: string): number {
    let end = at;
    while (end < b.length && b[end] !== 10 && end - lineStart < 40) end++;
    let got = show(b, lineStart, end);
    if (lineStart === 0 && this.line > 1 && this.state !== START) got = `…${got}`;
    this.big = false;
    this.sink.bad(`line ${this.line}`, expected, got);
    return SKIP;
  }
}
