/**
 * A mixture of workloads: each request (one reference, or one run of a scan or file read)
 * comes from part i with probability weight_i / Σ weights. A request cut by the end of a chunk
 * is finished before the next choice.
 */
import type { Rng } from '../util/rng.js';
import { AliasTable } from './extents.js';
import { fillByRequests, type RefSource } from './source.js';

export class MixSource implements RefSource {
  private readonly table: AliasTable;
  private current = -1;

  constructor(
    private readonly parts: readonly RefSource[],
    weights: readonly number[],
    rng: Rng,
  ) {
    if (parts.length !== weights.length) throw new RangeError('mix: parts and weights differ');
    this.table = new AliasTable(weights, rng);
  }

  get inRequest(): boolean {
    return this.current >= 0 && this.parts[this.current].inRequest;
  }

  next(pages: Int32Array, ops: Uint8Array, at: number, max: number): number {
    if (!this.inRequest) this.current = this.parts.length === 1 ? 0 : this.table.sample();
    return this.parts[this.current].next(pages, ops, at, max);
  }

  fill(pages: Int32Array, ops: Uint8Array, from: number, to: number): void {
    fillByRequests(this, pages, ops, from, to);
  }
}
