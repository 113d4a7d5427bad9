/**
 * `csv`: delimited text with configurable columns (time, id or offset+size, op, volume), e.g.
 * libCacheSim's cloudPhysicsIO.csv (`version,time,op,size,lbn`). The first non-blank line fixes
 * the delimiter, the header and the column count; every data line must have that many columns.
 */
import { OP_READ } from '../chunk.js';
import { TraceInputError } from '../errors.js';
import type { DenseIdMap } from '../id-map.js';
import type { RefSink } from '../sink.js';
import type { CsvOptions } from '../types.js';
import { parseDecimal, parseSafeUint, parseU64, show, skipBlanks, trimEnd, U64 } from './bytes.js';
import { CsvLayoutError, resolveCsvLayout, type CsvLayout } from './csv-columns.js';
import { delimiterName, FieldSplitter, guessDelimiter } from './fields.js';
import { LineParser } from './lines.js';
import { OP_EXPECTED, OpDecoder } from './ops.js';
import { VolumeKeyCache } from './volume-key.js';

export class CsvParser extends LineParser {
  private fields: FieldSplitter | null = null;
  private layout: CsvLayout | null = null;
  private delimName = '';
  private readonly ops = new OpDecoder();
  private readonly volumes: VolumeKeyCache;
  private readonly timeScale: number;
  private map: DenseIdMap | null = null;
  /** Whether the time column holds integers (fixed by the first data line: a long integer). */
  private integerTimes: boolean | null = null;

  constructor(
    sink: RefSink,
    private readonly options: CsvOptions,
    private readonly split: boolean | undefined,
    private readonly separateVolumes: boolean,
  ) {
    super(sink);
    this.timeScale = options.timeScale ?? 1;
    this.volumes = new VolumeKeyCache(sink);
  }

  protected line(b: Uint8Array, start: number, end: number): void {
    end = trimEnd(b, start, end);
    if (skipBlanks(b, start, end) === end) return; // blank line
    let f = this.fields;
    if (f === null) {
      const delimiter = this.options.delimiter ?? guessDelimiter(b, start, end);
      this.delimName = delimiterName(delimiter);
      f = this.fields = new FieldSplitter(delimiter);
      const n = f.split(b, start, end);
      try {
        this.layout = resolveCsvLayout(b, f, n, this.options);
      } catch (e) {
        if (!(e instanceof CsvLayoutError)) throw e;
        throw new TraceInputError(this.sink.file, `line ${this.lineNo}`, e.expected, e.got);
      }
      const L = this.layout;
      this.sink.timed = L.time >= 0;
      this.sink.split = this.split ?? L.offset >= 0;
      if (L.volume.length === 0 || !this.separateVolumes) this.map = this.sink.volume();
      if (L.header) return;
    }
    const L = this.layout!;
    const sink = this.sink;
    const n = f.split(b, start, end);
    if (n !== L.columns) {
      return sink.bad(
        `line ${this.lineNo}`,
        `${L.columns} ${this.delimName}-separated columns`,
        `${n}`,
      );
    }
    const { starts, ends } = f;
    const bad = (k: number, what: string) =>
      sink.bad(
        `line ${this.lineNo}`,
        `${what} in column '${L.names[k]}' (${k + 1})`,
        show(b, starts[k], ends[k]),
      );
    let time = 0;
    if (L.time >= 0) {
      const ts = starts[L.time];
      const te = ends[L.time];
      const raw = parseDecimal(b, ts, te);
      if (!Number.isFinite(raw)) return bad(L.time, 'a number');
      const integer = isPlainInteger(b, ts, te);
      // Tick counts (µs, ns, epoch seconds) are long integers: a column whose first value is one
      // holds integers. Short first values (0, 1, 100) say nothing about the column's kind.
      if (this.integerTimes === null) this.integerTimes = integer && te - ts >= 6;
      else if (this.integerTimes && !integer) {
        return bad(
          L.time,
          'an integer time, like the first data line’s (the column holds integers)',
        );
      }
      time = raw * this.timeScale;
      const problem = sink.timeProblem(time);
      if (problem !== null) return bad(L.time, problem);
    }
    let op = OP_READ;
    if (L.op >= 0) {
      op = this.ops.decode(b, starts[L.op], ends[L.op]);
      if (op < 0) return bad(L.op, OP_EXPECTED);
    }
    let size = 0;
    if (L.size >= 0) {
      size = parseSafeUint(b, starts[L.size], ends[L.size]);
      if (size < 0) return bad(L.size, 'a size in bytes (unsigned integer)');
      if (sink.split) {
        const problem = sink.sizeProblem(size);
        if (problem !== null) return bad(L.size, problem);
      }
    }
    const map = this.map ?? this.volumes.resolve(b, starts, ends, L.volume);
    if (L.id >= 0) {
      if (!parseU64(b, starts[L.id], ends[L.id]))
        return bad(L.id, 'a block number (unsigned integer below 2^64)');
      if (!sink.block(map, U64.hi, U64.lo, size, op, time))
        return bad(L.id, 'a block number small enough to split into pages');
    } else {
      const offset = parseSafeUint(b, starts[L.offset], ends[L.offset]);
      if (offset < 0 || !Number.isSafeInteger(offset + size))
        return bad(L.offset, 'a byte offset (unsigned integer)');
      sink.range(map, offset, size, op, time);
    }
  }
}

/** Whether [start, end) is an optionally signed run of digits (no point, no exponent). */
function isPlainInteger(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && (b[i] === 45 || b[i] === 43)) i++;
  if (i >= end) return false;
  for (; i < end; i++) if (b[i] < 48 || b[i] > 57) return false;
  return true;
}
