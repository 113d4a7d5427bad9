/** Cyclic references 0, 1, …, pages-1, 0, 1, …: LRU's worst case when memory < pages. */
import type { PageSource } from './source.js';

export class LoopSource implements PageSource {
  readonly inRequest = false;
  private pos = 0;

  constructor(private readonly pages: number) {}

  next(out: Int32Array, at: number): number {
    out[at] = this.pos++;
    if (this.pos === this.pages) this.pos = 0;
    return 1;
  }

  fill(out: Int32Array, from: number, to: number): void {
    let pos = this.pos;
    const n = this.pages;
    for (let i = from; i < to; i++) {
      out[i] = pos++;
      if (pos === n) pos = 0;
    }
    this.pos = pos;
  }
}
