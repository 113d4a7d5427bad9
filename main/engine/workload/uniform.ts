/** Uniform random pages: each of 0..pages-1 equally likely, independently. */
import type { Rng } from '../util/rng.js';
import type { PageSource } from './source.js';

export class UniformSource implements PageSource {
  readonly inRequest = false;

  constructor(
    private readonly pages: number,
    private readonly rng: Rng,
  ) {}

  next(out: Int32Array, at: number): number {
    out[at] = this.rng.int(this.pages);
    return 1;
  }

  fill(out: Int32Array, from: number, to: number): void {
    const rng = this.rng;
    const n = this.pages;
    for (let i = from; i < to; i++) out[i] = rng.int(n);
  }
}
