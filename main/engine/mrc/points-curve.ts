import type { MissCurve, MrcMethod } from './curve.js';

/**
 * A curve known only at the sizes that were simulated (the `policy` and `minisim` methods run one
 * simulation per size): misses there, NaN at every other size (unknown, not interpolated).
 */
export class PointsCurve implements MissCurve {
  readonly minSize: number;
  readonly maxSize: number;
  private readonly bySize = new Map<number, number>();

  constructor(
    readonly method: MrcMethod,
    readonly references: number,
    sizes: readonly number[],
    misses: ArrayLike<number>,
  ) {
    sizes.forEach((s, i) => this.bySize.set(s, misses[i]));
    this.minSize = sizes.length > 0 ? Math.min(...sizes) : 0;
    this.maxSize = sizes.length > 0 ? Math.max(...sizes) : 0;
  }

  missesAt(size: number): number {
    return this.bySize.get(size) ?? Number.NaN;
  }

  /** The simulated sizes, ascending. */
  get sizes(): number[] {
    return [...this.bySize.keys()].sort((a, b) => a - b);
  }
}
