import { Rng } from '../util/rng.js';

/**
 * Picks n of A frames uniformly at random without replacement, once per period, and tracks which
 * sampled frames are touched during the period. Marks are period numbers, so starting a period
 * costs O(n), not O(A), and nothing is allocated afterwards.
 */
export class FrameSampler {
  private readonly perm: Int32Array;
  /** sampledIn[frame] = period in which the frame is sampled (stale values mean "not sampled"). */
  private readonly sampledIn: Int32Array;
  private readonly touchedIn: Int32Array;
  private readonly rng: Rng;
  private period = -1;
  readonly samples: number;
  touched = 0;

  constructor(
    readonly frames: number,
    samples: number,
    seed: number,
  ) {
    this.samples = Math.max(0, Math.min(samples, frames));
    this.perm = new Int32Array(frames);
    for (let i = 0; i < frames; i++) this.perm[i] = i;
    this.sampledIn = new Int32Array(frames).fill(-1);
    this.touchedIn = new Int32Array(frames).fill(-1);
    this.rng = new Rng(seed);
  }

  /** Starts a new period with a fresh sample (partial Fisher–Yates over a persistent permutation). */
  startPeriod(): void {
    const p = ++this.period;
    const perm = this.perm;
    const a = this.frames;
    for (let i = 0; i < this.samples; i++) {
      const j = i + this.rng.int(a - i);
      const f = perm[j];
      perm[j] = perm[i];
      perm[i] = f;
      this.sampledIn[f] = p;
    }
    this.touched = 0;
  }

  /** A reference touched `frame` (ignored when negative). */
  touch(frame: number): void {
    if (frame < 0) return;
    const p = this.period;
    if (this.sampledIn[frame] === p && this.touchedIn[frame] !== p) {
      this.touchedIn[frame] = p;
      this.touched++;
    }
  }
}
