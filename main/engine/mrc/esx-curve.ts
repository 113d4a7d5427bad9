import type { MissCurve } from './curve.js';

/**
 * ESX sampling yields a working-set estimate, not a curve. It is shown as a STEP: for sizes from
 * ceil(estimate) up to the allocation A the VM is taken to miss as often as it did with A pages
 * (the misses observed in the A-page simulation); every other size is unknown (NaN) — below the
 * estimate ESX says nothing about how misses grow, above A it never looks.
 */
export class EsxStepCurve implements MissCurve {
  readonly method = 'esx' as const;
  readonly minSize: number;
  readonly maxSize: number;

  constructor(
    /** The final working-set estimate in pages (NaN when no period was sampled). */
    readonly estimate: number,
    /** A: the allocation the VM ran with. */
    readonly allocation: number,
    /** Misses observed with A pages. */
    readonly missesAtAllocation: number,
    readonly references: number,
  ) {
    // A hair of tolerance so an estimate like 300.0000000001 is not rounded up to 301.
    this.minSize = Number.isNaN(estimate) ? Number.NaN : Math.ceil(estimate - 1e-9);
    this.maxSize = Number.isNaN(estimate) ? Number.NaN : allocation;
  }

  missesAt(size: number): number {
    return size >= this.minSize && size <= this.maxSize ? this.missesAtAllocation : Number.NaN;
  }
}
