/**
 * Format detection. Returns a format only when certain: by extension (after stripping
 * .gz/.xz/.zst), else by unmistakable content; otherwise throws a TraceInputError asking for
 * --format and listing the format names.
 */
import { stripCompressionExt } from './decompress.js';
import { TraceInputError, WHOLE_FILE } from './errors.js';
import { parseU64 } from './formats/bytes.js';
import { resolveCsvLayout } from './formats/csv-columns.js';
import { FieldSplitter } from './formats/fields.js';
import { isMsrLine, MSR_COLUMNS } from './formats/msr.js';
import { ORACLE_GENERAL_RECORD } from './formats/oracle-general.js';
import { scsiOp } from './formats/ops.js';
import { u16le, u32le } from './formats/records.js';
import { VSCSI_V1, VSCSI_V2, vscsiVersion } from './formats/vscsi.js';
import { TRACE_FORMATS, type TraceFormat } from './types.js';

/** Bytes of decompressed content that detection looks at. */
export const DETECT_BYTES = 1 << 16;

export function unknownFormat(file: string, why: string): TraceInputError {
  return new TraceInputError(
    file,
    WHOLE_FILE,
    `a known trace format (give --format: ${TRACE_FORMATS.join(', ')})`,
    why,
  );
}

/** Whether the bytes look like text: no NUL or other control characters except tab, CR, LF. */
export function isText(head: Uint8Array): boolean {
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
    if (c === 127) return false;
  }
  return true;
}

/** Non-blank lines of the head as [start, end) ranges; drops a cut-off last line unless whole. */
function lines(head: Uint8Array, whole: boolean): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start < head.length) {
    let nl = head.indexOf(10, start);
    if (nl < 0) {
      if (!whole) break;
      nl = head.length;
    }
    let s = start;
    let e = nl;
    while (s < e && (head[s] === 32 || head[s] === 9)) s++;
    while (e > s && (head[e - 1] === 13 || head[e - 1] === 32 || head[e - 1] === 9)) e--;
    if (e > s) out.push([s, e]);
    start = nl + 1;
  }
  return out;
}

function isMsr(head: Uint8Array, ls: [number, number][]): boolean {
  if (ls.length === 0) return false;
  const [s, e] = ls[0];
  if (isMsrLine(head, s, e)) return true;
  const first = String.fromCharCode(...head.subarray(s, e)).toLowerCase();
  return first === MSR_COLUMNS.toLowerCase() && ls.length > 1 && isMsrLine(head, ...ls[1]);
}

function sniffText(head: Uint8Array, whole: boolean): TraceFormat | null {
  const ls = lines(head, whole);
  if (ls.length === 0) return null;
  if (isMsr(head, ls)) return 'msr';
  let ids = 0;
  let marks = 0;
  for (const [s, e] of ls) {
    if (parseU64(head, s, e)) ids++;
    else if (head[s] === 35 || (e - s === 1 && head[s] === 42)) marks++;
    else break;
  }
  if (ids + marks === ls.length && ids > 0) return marks > 0 ? 'lirs' : 'txt';
  // A CSV with a header that names an id or offset column, and lines of the same width.
  const f = new FieldSplitter(',');
  const n = f.split(head, ...ls[0]);
  if (n < 2) return null;
  try {
    const layout = resolveCsvLayout(head, f, n, {});
    if (!layout.header || ls.length < 2) return null;
  } catch {
    return null;
  }
  return ls.slice(1).every(([s, e]) => f.split(head, s, e) === n) ? 'csv' : null;
}

function isVscsi(head: Uint8Array): boolean {
  const version = vscsiVersion(head);
  if (version === 0) return false;
  const L = version === 1 ? VSCSI_V1 : VSCSI_V2;
  const records = Math.min(16, Math.floor(head.length / L.size));
  if (records < 2) return false;
  for (let k = 0; k < records; k++) {
    const at = k * L.size;
    if (u16le(head, at + L.ver) >> 8 !== version || scsiOp(u16le(head, at + L.cmd)) < 0) {
      return false;
    }
  }
  return true;
}

/** Each next_access_vtime is -1 or a later record of the same id, with no use of it in between. */
function isOracleGeneral(head: Uint8Array): boolean {
  const R = ORACLE_GENERAL_RECORD;
  const m = Math.floor(head.length / R);
  if (m < 8) return false;
  const idAt = (k: number) => `${u32le(head, k * R + 4)}:${u32le(head, k * R + 8)}`;
  const seen = new Map<string, number>();
  let time = 0;
  for (let k = 0; k < m; k++) {
    const at = k * R;
    const t = u32le(head, at);
    if (t < time) return false;
    time = t;
    const id = idAt(k);
    const expected = seen.get(id);
    if (expected !== undefined && expected !== k) return false;
    const lo = u32le(head, at + 16);
    const hi = u32le(head, at + 20);
    if (lo === 0xffffffff && hi === 0xffffffff) {
      seen.set(id, -1);
      continue;
    }
    if (hi !== 0 || lo <= k + 1) return false;
    seen.set(id, lo - 1);
  }
  for (const [id, next] of seen) {
    if (next >= 0 && next < m && idAt(next) !== id) return false;
  }
  return true;
}

/**
 * The format of a trace from its file name and the first bytes of its decompressed content
 * (`whole`: the head is the entire content).
 */
export function detectFormat(name: string, head: Uint8Array, whole = false): TraceFormat {
  const base = stripCompressionExt(name).toLowerCase();
  if (base.endsWith('.txt')) return 'txt';
  if (base.endsWith('.vscsi')) return 'vscsi';
  if (base.endsWith('.oraclegeneral') || base.endsWith('.oraclegeneral.bin')) {
    return 'oracleGeneral';
  }
  if (base.endsWith('.csv')) return isMsr(head, lines(head, whole)) ? 'msr' : 'csv';
  if (head.length === 0) {
    throw new TraceInputError(name, 'byte 0', 'a non-empty trace', 'an empty file');
  }
  const text = isText(head);
  if (base.endsWith('.trace')) return text ? 'lirs' : 'raw-u32';
  const sniffed = text
    ? sniffText(head, whole)
    : isVscsi(head)
      ? 'vscsi'
      : isOracleGeneral(head)
        ? 'oracleGeneral'
        : null;
  if (sniffed === null) {
    throw unknownFormat(
      name,
      text
        ? 'text that no format matches for certain'
        : 'binary data that no format matches for certain',
    );
  }
  return sniffed;
}
