/**
 * MSR Cambridge / SNIA block I/O traces: CSV lines
 * `Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime`, no header (one is tolerated).
 * Timestamp is a Windows filetime (100 ns ticks since 1601), converted to Unix-epoch seconds;
 * Type is Read/Write; Offset and Size are bytes. Each hostname+disk is one volume.
 */
import type { RefSink } from '../sink.js';
import { latin1, parseSafeUint, parseU64, show, skipBlanks, trimEnd } from './bytes.js';
import { FieldSplitter } from './fields.js';
import { LineParser } from './lines.js';
import { OP_EXPECTED, OpDecoder } from './ops.js';
import { VolumeKeyCache } from './volume-key.js';

export const MSR_COLUMNS = 'Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime';
/** Seconds from 1601-01-01 (Windows filetime epoch) to 1970-01-01. */
const FILETIME_UNIX_OFFSET = 11644473600;
const VOLUME_COLUMNS = [1, 2];

/** A filetime field as Unix-epoch seconds, exact to the tick; NaN when not an integer. */
export function filetimeSeconds(b: Uint8Array, start: number, end: number): number {
  const cut = Math.max(start, end - 7);
  const whole = cut > start ? parseSafeUint(b, start, cut) : 0;
  const ticks = parseSafeUint(b, cut, end);
  if (whole < 0 || ticks < 0) return NaN;
  return whole - FILETIME_UNIX_OFFSET + ticks / 1e7;
}

/** Whether the line [start, end) is an MSR data line (used by format detection too). */
export function isMsrLine(b: Uint8Array, start: number, end: number): boolean {
  const f = new FieldSplitter(',');
  if (f.split(b, start, end) !== 7) return false;
  const ok = (k: number) => parseSafeUint(b, f.starts[k], f.ends[k]) >= 0;
  const type = latin1(b, f.starts[3], f.ends[3]).toLowerCase();
  const stamp = parseU64(b, f.starts[0], f.ends[0]);
  return stamp && ok(2) && ok(4) && ok(5) && (type === 'read' || type === 'write');
}

export class MsrParser extends LineParser {
  private readonly fields = new FieldSplitter(',');
  private readonly ops = new OpDecoder();
  private readonly volumes: VolumeKeyCache;
  private seenData = false;

  constructor(sink: RefSink, split: boolean) {
    super(sink);
    sink.timed = true;
    sink.split = split;
    this.volumes = new VolumeKeyCache(sink);
  }

  protected line(b: Uint8Array, start: number, end: number): void {
    const sink = this.sink;
    end = trimEnd(b, start, end);
    if (skipBlanks(b, start, end) === end) return; // blank line
    const f = this.fields;
    const n = f.split(b, start, end);
    const where = `line ${this.lineNo}`;
    const first = !this.seenData;
    this.seenData = true;
    if (n !== 7) {
      sink.bad(where, `7 comma-separated columns (${MSR_COLUMNS})`, `${n}`);
      return;
    }
    const { starts, ends } = f;
    const time = filetimeSeconds(b, starts[0], ends[0]);
    if (Number.isNaN(time)) {
      if (first && b[starts[0]] > 57) return; // a header line
      sink.bad(
        where,
        'a Timestamp (Windows filetime, integer) in column 1',
        show(b, starts[0], ends[0]),
      );
      return;
    }
    if (time < 0) {
      return sink.bad(
        where,
        'a Timestamp (Windows filetime) at or after 1970-01-01 in column 1',
        show(b, starts[0], ends[0]),
      );
    }
    const timeProblem = sink.timeProblem(time);
    if (timeProblem !== null)
      return sink.bad(where, `${timeProblem} in column 1`, show(b, starts[0], ends[0]));
    const op = this.ops.decode(b, starts[3], ends[3]);
    if (op < 0)
      return sink.bad(where, `${OP_EXPECTED} in column 4 (Type)`, show(b, starts[3], ends[3]));
    const offset = parseSafeUint(b, starts[4], ends[4]);
    if (offset < 0)
      return sink.bad(where, 'a byte Offset (integer) in column 5', show(b, starts[4], ends[4]));
    const size = parseSafeUint(b, starts[5], ends[5]);
    if (size < 0 || !Number.isSafeInteger(offset + size)) {
      return sink.bad(where, 'a byte Size (integer) in column 6', show(b, starts[5], ends[5]));
    }
    const sizeProblem = sink.split ? sink.sizeProblem(size) : null;
    if (sizeProblem !== null)
      return sink.bad(where, `${sizeProblem} in column 6`, show(b, starts[5], ends[5]));
    const map = this.volumes.resolve(b, starts, ends, VOLUME_COLUMNS);
    sink.range(map, offset, size, op, time);
  }
}
