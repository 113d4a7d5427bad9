/**
 * Weighted extents (files, posting lists, tables): each extent is a run of consecutive pages.
 * An extent is chosen with probability proportional to its weight (alias method, O(1)) and read
 * from its first page to its last, in requests of at most `burst` pages; the next extent is
 * chosen when the current one is finished.
 */
import type { Rng } from '../util/rng.js';
import type { PageSource } from './source.js';

/** Walker's alias method (Vose's construction): O(1) sampling from fixed weights. */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(
    weights: ArrayLike<number>,
    private readonly rng: Rng,
  ) {
    const n = weights.length;
    if (n === 0) throw new RangeError('alias table: no weights');
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (!(weights[i] >= 0)) throw new RangeError(`alias table: bad weight ${weights[i]}`);
      sum += weights[i];
    }
    if (!(sum > 0)) throw new RangeError('alias table: weights sum to 0');
    const prob = new Float64Array(n);
    const alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / sum;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) prob[i] = 1;
    for (const i of small) prob[i] = 1; // rounding leftovers
    this.prob = prob;
    this.alias = alias;
  }

  sample(): number {
    const n = this.prob.length;
    const x = this.rng.next() * n;
    const i = Math.min(n - 1, Math.floor(x));
    return x - i < this.prob[i] ? i : this.alias[i];
  }
}

export interface Extents {
  /** First page of each extent. */
  starts: Int32Array;
  /** Pages in each extent (≥ 1). */
  lengths: Int32Array;
  weights: Float64Array;
}

export class ExtentSource implements PageSource {
  private readonly table: AliasTable;
  private pos = 0;
  /** Pages left in the current extent. */
  private left = 0;
  /** Pages left in the current request. */
  private burstLeft = 0;

  constructor(
    private readonly extents: Extents,
    rng: Rng,
    private readonly burst = Number.POSITIVE_INFINITY,
  ) {
    this.table = new AliasTable(extents.weights, rng);
  }

  get inRequest(): boolean {
    return this.burstLeft > 0;
  }

  next(out: Int32Array, at: number, max: number): number {
    if (this.burstLeft === 0) {
      if (this.left === 0) {
        const e = this.table.sample();
        this.pos = this.extents.starts[e];
        this.left = this.extents.lengths[e];
      }
      this.burstLeft = Math.min(this.left, this.burst);
    }
    const n = Math.min(this.burstLeft, max);
    let pos = this.pos;
    for (let i = at; i < at + n; i++) out[i] = pos++;
    this.pos = pos;
    this.left -= n;
    this.burstLeft -= n;
    return n;
  }
}
