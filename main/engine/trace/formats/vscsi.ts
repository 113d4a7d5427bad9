/**
 * CloudPhysics/VMware `vscsi` binary traces, little-endian, no header. Version 1: 32-byte records
 * (u32 sn, u32 len, u32 nSG, u16 cmd, u16 ver, u64 lbn, u64 ts µs); version 2: 40-byte records
 * (u16 cmd, u16 ver, u32 sn, u32 len, u32 nSG, u64 lbn, u64 ts µs, u64 rt). The version is read
 * from the first record (ver >> 8), as libCacheSim does. lbn is in 512-byte sectors (sectorSize)
 * when splitting; otherwise each lbn is one page. Times are seconds (ts / 10^6).
 */
import { TraceInputError } from '../errors.js';
import type { DenseIdMap } from '../id-map.js';
import type { RefSink } from '../sink.js';
import { OP_EXPECTED, scsiOp } from './ops.js';
import type { FormatParser } from './parser.js';
import { RecordParser, u16le, u32le } from './records.js';

const TWO32 = 4294967296;

interface Layout {
  size: number;
  cmd: number;
  ver: number;
  len: number;
  lbn: number;
  ts: number;
}

export const VSCSI_V1: Layout = { size: 32, cmd: 12, ver: 14, len: 4, lbn: 16, ts: 24 };
export const VSCSI_V2: Layout = { size: 40, cmd: 0, ver: 2, len: 8, lbn: 16, ts: 24 };

/** The vscsi version of a record at b[0] (1 or 2), or 0 when it looks like neither. */
export function vscsiVersion(b: Uint8Array, at = 0): number {
  if (b.length - at >= 32 && u16le(b, at + VSCSI_V1.ver) >> 8 === 1) return 1;
  if (b.length - at >= 40 && u16le(b, at + VSCSI_V2.ver) >> 8 === 2) return 2;
  return 0;
}

class VscsiRecords extends RecordParser {
  private readonly map: DenseIdMap;

  constructor(
    sink: RefSink,
    private readonly layout: Layout,
    private readonly version: number,
  ) {
    super(sink, layout.size);
    this.map = sink.volume();
  }

  protected records(b: Uint8Array, offset: number, count: number): void {
    const sink = this.sink;
    const L = this.layout;
    for (let k = 0; k < count && !sink.done; k++) {
      const at = offset + k * L.size;
      this.record++;
      const where = `record ${this.record}`;
      const ver = u16le(b, at + L.ver) >> 8;
      if (ver !== this.version) {
        sink.bad(where, `vscsi version ${this.version} (ver field ${this.version}.x)`, `${ver}.x`);
        continue;
      }
      const cmd = u16le(b, at + L.cmd);
      const op = scsiOp(cmd);
      if (op < 0) {
        sink.bad(where, OP_EXPECTED, `SCSI opcode 0x${cmd.toString(16)}`);
        continue;
      }
      const len = u32le(b, at + L.len);
      const time = (u32le(b, at + L.ts + 4) * TWO32 + u32le(b, at + L.ts)) / 1e6;
      const problem = sink.timeProblem(time) ?? (sink.split ? sink.sizeProblem(len) : null);
      if (problem !== null) {
        sink.bad(where, problem, `ts ${time} s, len ${len}`);
        continue;
      }
      const hi = u32le(b, at + L.lbn + 4);
      if (!sink.block(this.map, hi, u32le(b, at + L.lbn), len, op, time)) {
        sink.bad(where, 'an lbn small enough to split into pages');
      }
    }
  }
}

/** Reads the version from the first record, then parses records of that version. */
export class VscsiParser implements FormatParser {
  private inner: VscsiRecords | null = null;
  private head: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly sink: RefSink,
    split: boolean,
  ) {
    sink.timed = true;
    sink.split = split;
  }

  push(data: Uint8Array): void {
    if (this.inner !== null) return this.inner.push(data);
    const joined: Uint8Array = new Uint8Array(this.head.length + data.length);
    joined.set(this.head);
    joined.set(data, this.head.length);
    this.head = joined;
    if (joined.length >= 40) this.start();
  }

  end(): void {
    if (this.inner === null && this.head.length > 0) this.start();
    this.inner?.end();
  }

  private start(): void {
    if (this.head.length < 32) {
      const got = `only ${this.head.length} bytes at byte 0 (truncated file)`;
      this.sink.bad('record 1', 'a 32-byte vscsi record', got);
      this.head = new Uint8Array(0);
      return;
    }
    const version = vscsiVersion(this.head);
    if (version === 0) {
      const got = `ver field 0x${u16le(this.head, 14).toString(16)}`;
      throw new TraceInputError(
        this.sink.file,
        'record 1',
        'a vscsi record (ver 1.x at byte 14 or 2.x at byte 2)',
        got,
      );
    }
    this.inner = new VscsiRecords(this.sink, version === 1 ? VSCSI_V1 : VSCSI_V2, version);
    const head = this.head;
    this.head = new Uint8Array(0);
    this.inner.push(head);
  }
}
