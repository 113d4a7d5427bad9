/**
 * Phase-changing working sets: phase i supplies exactly refs_i references, then the next phase
 * starts (cutting a request short if need be). After the last phase the phases start again
 * (`cycle`) or the last one goes on. Each phase keeps its state between cycles.
 */
import type { RefSource } from './source.js';

export interface PhaseSource {
  refs: number;
  source: RefSource;
}

export class PhasesSource implements RefSource {
  private index = 0;
  private left: number;

  constructor(
    private readonly phases: readonly PhaseSource[],
    private readonly cycle: boolean,
  ) {
    if (phases.length === 0) throw new RangeError('phases: no phases');
    this.left = phases[0].refs;
  }

  get inRequest(): boolean {
    return this.left > 0 && this.phases[this.index].source.inRequest;
  }

  next(pages: Int32Array, ops: Uint8Array, at: number, max: number): number {
    if (this.left === 0) {
      if (this.index + 1 < this.phases.length) this.index++;
      else if (this.cycle) this.index = 0;
      this.left =
        !this.cycle && this.index === this.phases.length - 1
          ? Number.POSITIVE_INFINITY
          : this.phases[this.index].refs;
    }
    const n = this.phases[this.index].source.next(pages, ops, at, Math.min(max, this.left));
    this.left -= n;
    return n;
  }

  fill(pages: Int32Array, ops: Uint8Array, from: number, to: number): void {
    let at = from;
    while (at < to) {
      if (this.left === 0) {
        at += this.next(pages, ops, at, to - at);
        continue;
      }
      // Fast path: hand the rest of the phase (or of the range) to the phase's own fill.
      const n = Math.min(this.left, to - at);
      this.phases[this.index].source.fill(pages, ops, at, at + n);
      this.left -= n;
      at += n;
    }
  }
}
