/** Decoding of operation fields: r/w words, 0/1, and SCSI opcodes. */
import {
  OP_DIRECT_WRITE,
  OP_READ,
  OP_WRITE,
  OP_WRITE_FSYNC,
  OP_WRITE_FSYNC_FULL,
  OP_WRITE_FULL,
} from '../chunk.js';
import { latin1 } from './bytes.js';

/** Op of a SCSI command opcode, or -1 when it is neither a read nor a write. */
export function scsiOp(code: number): number {
  switch (code) {
    case 0x08: // READ(6)
    case 0x28: // READ(10)
    case 0xa8: // READ(12)
    case 0x88: // READ(16)
      return OP_READ;
    case 0x0a: // WRITE(6)
    case 0x2a: // WRITE(10)
    case 0xaa: // WRITE(12)
    case 0x8a: // WRITE(16)
    case 0x2e: // WRITE AND VERIFY(10)
    case 0xae: // WRITE AND VERIFY(12)
    case 0x8e: // WRITE AND VERIFY(16)
      return OP_WRITE;
    default:
      return -1;
  }
}

/** What a valid op field looks like, for error messages. */
export const OP_EXPECTED =
  'an op (r/w, read/write, 0/1, fsync, wf/write-full, wfs/fsync-full, dw/direct, or a SCSI opcode such as 28/2a)';

const WORDS: Record<string, number> = {
  r: OP_READ,
  read: OP_READ,
  rd: OP_READ,
  '0': OP_READ,
  w: OP_WRITE,
  write: OP_WRITE,
  wr: OP_WRITE,
  '1': OP_WRITE,
  fsync: OP_WRITE_FSYNC,
  ws: OP_WRITE_FSYNC,
  'write-fsync': OP_WRITE_FSYNC,
  write_fsync: OP_WRITE_FSYNC,
  // A write that replaces the whole page (a miss does not read it first).
  wf: OP_WRITE_FULL,
  'write-full': OP_WRITE_FULL,
  write_full: OP_WRITE_FULL,
  wfs: OP_WRITE_FSYNC_FULL,
  'fsync-full': OP_WRITE_FSYNC_FULL,
  fsync_full: OP_WRITE_FSYNC_FULL,
  // Direct I/O: a write that bypasses guest memory.
  dw: OP_DIRECT_WRITE,
  direct: OP_DIRECT_WRITE,
  'direct-write': OP_DIRECT_WRITE,
  direct_write: OP_DIRECT_WRITE,
};

/** Op of a field's text (case-insensitive), or -1 when unknown. */
export function opOfText(text: string): number {
  const t = text.toLowerCase();
  const word = WORDS[t];
  if (word !== undefined) return word;
  const hex = /^(?:0x)?([0-9a-f]{2})$/.exec(t);
  return hex === null ? -1 : scsiOp(parseInt(hex[1], 16));
}

/**
 * Decodes op fields, remembering the last distinct token so that the usual case (the same few
 * tokens over and over) costs a byte comparison and no string.
 */
export class OpDecoder {
  private readonly last = new Uint8Array(16);
  private lastLen = -1;
  private lastOp = -1;

  decode(b: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len === this.lastLen) {
      const last = this.last;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (b[start + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastOp;
    }
    const op = len > 16 ? -1 : opOfText(latin1(b, start, end));
    if (op >= 0) {
      this.last.set(b.subarray(start, end));
      this.lastLen = len;
      this.lastOp = op;
    }
    return op;
  }
}
