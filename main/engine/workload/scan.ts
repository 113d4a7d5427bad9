/**
 * Sequential scans: each request reads `run` consecutive pages starting at a uniformly random
 * page in 0..pages-run. With run = pages every scan is 0..pages-1 (full scans, no randomness).
 */
import type { Rng } from '../util/rng.js';
import type { PageSource } from './source.js';

export class ScanSource implements PageSource {
  private pos = 0;
  private left = 0;

  constructor(
    private readonly pages: number,
    private readonly run: number,
    private readonly rng: Rng,
  ) {
    if (!(run >= 1 && run <= pages)) throw new RangeError(`scan run ${run} not in 1..${pages}`);
  }

  get inRequest(): boolean {
    return this.left > 0;
  }

  next(out: Int32Array, at: number, max: number): number {
    if (this.left === 0) {
      this.pos = this.run === this.pages ? 0 : this.rng.int(this.pages - this.run + 1);
      this.left = this.run;
    }
    const n = Math.min(this.left, max);
    let pos = this.pos;
    for (let i = at; i < at + n; i++) out[i] = pos++;
    this.pos = pos;
    this.left -= n;
    return n;
  }
}
