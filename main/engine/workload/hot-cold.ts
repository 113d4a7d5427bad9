/**
 * Hot/cold: a share `hotFraction` of references goes to the hot pages 0..hot-1, the rest to the
 * cold pages hot..hot+cold-1, uniformly within each set. One uniform draw per reference.
 */
import type { Rng } from '../util/rng.js';
import type { PageSource } from './source.js';

export class HotColdSource implements PageSource {
  readonly inRequest = false;

  constructor(
    private readonly hot: number,
    private readonly cold: number,
    private readonly hotFraction: number,
    private readonly rng: Rng,
  ) {}

  next(out: Int32Array, at: number): number {
    this.fill(out, at, at + 1);
    return 1;
  }

  fill(out: Int32Array, from: number, to: number): void {
    const { hot, cold, hotFraction: hf, rng } = this;
    const hotScale = hot / hf;
    const coldScale = cold / (1 - hf);
    for (let i = from; i < to; i++) {
      const u = rng.next();
      if (u < hf) out[i] = Math.min(hot - 1, Math.floor(u * hotScale));
      else out[i] = hot + Math.min(cold - 1, Math.floor((u - hf) * coldScale));
    }
  }
}
