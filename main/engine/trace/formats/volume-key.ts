/**
 * Resolves the volume of a text record from one or more of its fields, remembering the last key's
 * bytes so that a run of records on the same volume costs a byte comparison and no string.
 */
import type { DenseIdMap } from '../id-map.js';
import type { RefSink } from '../sink.js';
import { latin1 } from './bytes.js';

export class VolumeKeyCache {
  private last: Uint8Array = new Uint8Array(64);
  private lastLen = -1;
  private lastMap: DenseIdMap | null = null;

  constructor(private readonly sink: RefSink) {}

  /** The id map of the volume named by fields `cols` (indexes into starts/ends). */
  resolve(
    b: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    cols: readonly number[],
  ): DenseIdMap {
    let len = cols.length - 1;
    for (const c of cols) len += ends[c] - starts[c];
    if (len === this.lastLen && this.lastMap !== null && this.matches(b, starts, ends, cols)) {
      return this.lastMap;
    }
    let key = '';
    if (this.last.length < len) this.last = new Uint8Array(len * 2);
    let at = 0;
    cols.forEach((c, k) => {
      if (k > 0) {
        key += '\u0000';
        this.last[at++] = 0;
      }
      key += latin1(b, starts[c], ends[c]);
      this.last.set(b.subarray(starts[c], ends[c]), at);
      at += ends[c] - starts[c];
    });
    this.lastLen = len;
    this.lastMap = this.sink.volume(key);
    return this.lastMap;
  }

  private matches(
    b: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    cols: readonly number[],
  ): boolean {
    const last = this.last;
    let at = 0;
    for (let k = 0; k < cols.length; k++) {
      if (k > 0 && last[at++] !== 0) return false;
      for (let i = starts[cols[k]]; i < ends[cols[k]]; i++) if (b[i] !== last[at++]) return false;
    }
    return true;
  }
}
