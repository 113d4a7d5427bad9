/**
 * Works out which CSV columns hold what, from the options and the first line: header detection,
 * header-name lookup, and 1-based column numbers.
 */
import type { CsvColumn, CsvOptions } from '../types.js';
import { latin1 } from './bytes.js';
import type { FieldSplitter } from './fields.js';

/** 0-based column indexes; -1 when absent. */
export interface CsvLayout {
  columns: number;
  header: boolean;
  /** Header names (or `column N`), for messages. */
  names: string[];
  time: number;
  id: number;
  offset: number;
  size: number;
  op: number;
  volume: number[];
}

/** Header names recognised for each role (compared lower-case, letters and digits only). */
export const HEADER_NAMES = {
  id: [
    'lbn',
    'lba',
    'id',
    'objid',
    'objectid',
    'obj',
    'key',
    'block',
    'blockid',
    'blockno',
    'blocknumber',
    'blk',
    'page',
    'pageid',
    'pageno',
    'address',
    'addr',
  ],
  offset: ['offset', 'byteoffset', 'off', 'offsetbytes'],
  size: [
    'size',
    'length',
    'len',
    'objsize',
    'objectsize',
    'bytes',
    'nbytes',
    'reqsize',
    'requestsize',
    'iosize',
  ],
  time: ['time', 'timestamp', 'ts', 'clocktime', 'reqtime', 'arrivaltime'],
  op: ['op', 'type', 'rw', 'cmd', 'opcode', 'operation', 'iotype', 'optype', 'readwrite'],
  volume: [
    'volume',
    'vol',
    'volumeid',
    'disk',
    'disknumber',
    'diskno',
    'diskid',
    'device',
    'dev',
    'devno',
    'lun',
    'hostname',
    'host',
  ],
} as const;

type Role = keyof typeof HEADER_NAMES;

function normal(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Thrown (as a message) when the columns cannot be worked out; the caller adds file and line. */
export class CsvLayoutError extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`expected ${expected}, got ${got}`);
  }
}

export function resolveCsvLayout(
  b: Uint8Array,
  f: FieldSplitter,
  count: number,
  options: CsvOptions,
): CsvLayout {
  const texts: string[] = [];
  for (let k = 0; k < count; k++) texts.push(latin1(b, f.starts[k], f.ends[k]));
  const header = options.header ?? texts.every(isWordy);
  const names = header ? texts : texts.map((_, k) => `column ${k + 1}`);
  const layout: CsvLayout = {
    columns: count,
    header,
    names,
    time: -1,
    id: -1,
    offset: -1,
    size: -1,
    op: -1,
    volume: [],
  };
  const given = options.columns;
  const find = (col: CsvColumn | undefined, role: string): number => {
    if (col === undefined) return -1;
    if (typeof col === 'number') {
      if (!Number.isInteger(col) || col < 1 || col > count) {
        throw new CsvLayoutError(`a ${role} column between 1 and ${count}`, `${col}`);
      }
      return col - 1;
    }
    const k = header ? texts.findIndex((t) => t.toLowerCase() === col.toLowerCase()) : -1;
    if (k < 0) {
      const what = header ? `header ${texts.join(',')}` : 'no header line';
      throw new CsvLayoutError(`a column named '${col}' for the ${role}`, what);
    }
    return k;
  };
  if (given !== undefined) {
    layout.time = find(given.time, 'time');
    layout.id = find(given.id, 'id');
    layout.offset = find(given.offset, 'offset');
    layout.size = find(given.size, 'size');
    layout.op = find(given.op, 'op');
    const vols =
      given.volume === undefined ? [] : Array.isArray(given.volume) ? given.volume : [given.volume];
    layout.volume = vols.map((v) => find(v, 'volume'));
  } else if (header) {
    const roleOf = texts.map((t) => {
      const n = normal(t);
      return (Object.keys(HEADER_NAMES) as Role[]).find((r) =>
        (HEADER_NAMES[r] as readonly string[]).includes(n),
      );
    });
    const first = (role: Role) => roleOf.indexOf(role);
    layout.time = first('time');
    layout.id = first('id');
    layout.offset = first('offset');
    layout.size = first('size');
    layout.op = first('op');
    roleOf.forEach((r, k) => r === 'volume' && layout.volume.push(k));
  } else if (count === 1) {
    layout.id = 0;
  }
  if (layout.id < 0 && layout.offset < 0) {
    const got = header ? `header ${texts.join(',')}` : `${count} columns and no header line`;
    throw new CsvLayoutError(
      'an id or offset column (a header naming lbn/id/offset…, or csv columns)',
      got,
    );
  }
  return layout;
}

/** A header field: not a number and has a letter in it. */
function isWordy(text: string): boolean {
  return /[A-Za-z_]/.test(text) && Number.isNaN(Number(text));
}
