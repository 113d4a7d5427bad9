/**
 * Size limits of allocation problems (README "Limits"). The exact DP costs O(VMs · U²) time for
 * U = ⌊M/q⌋ quanta and the adaptive mode keeps epochs · VMs · (U + 1) numbers, so both are
 * bounded; a quantum too fine for the limit is raised automatically, with a note saying so.
 */
import { LimitError } from '../limit-error.js';
import { defaultQuantum } from './constraints.js';

/** Default most quanta × VMs of one allocation problem: VMs · (⌊M/q⌋ + 1). */
export const DEFAULT_MAX_ALLOC_QUANTA = 50_000;
/** Default most adaptive epochs. */
export const DEFAULT_MAX_EPOCHS = 10_000;
/** Default most numbers kept by adaptive allocation: epochs · VMs · (⌊M/q⌋ + 1) (128 MiB). */
export const DEFAULT_MAX_ADAPTIVE_CELLS = 2 ** 24;

export interface AllocLimits {
  /** Most VMs · (⌊M/q⌋ + 1) (default {@link DEFAULT_MAX_ALLOC_QUANTA}). */
  maxQuanta?: number;
  /** Most adaptive epochs (default {@link DEFAULT_MAX_EPOCHS}). */
  maxEpochs?: number;
  /** Most adaptive epochs · VMs · (⌊M/q⌋ + 1) (default {@link DEFAULT_MAX_ADAPTIVE_CELLS}). */
  maxAdaptiveCells?: number;
}

/**
 * The quantum to use for `vms` VMs sharing `memory` pages: the requested one (or the default)
 * unless VMs · (⌊M/q⌋ + 1) would exceed the limit; then the smallest quantum within the limit,
 * with a note for the report.
 */
export function allocQuantum(
  memory: number,
  vms: number,
  requested: number | undefined,
  maxQuanta = DEFAULT_MAX_ALLOC_QUANTA,
): { quantum: number; note?: string } {
  if (!(Number.isSafeInteger(maxQuanta) && maxQuanta >= 2)) {
    throw new RangeError(`the allocation quanta limit must be an integer ≥ 2, got ${maxQuanta}`);
  }
  const q = requested ?? defaultQuantum(memory);
  const n = Math.max(1, vms);
  const perVm = Math.floor(maxQuanta / n) - 1; // most ⌊M/q⌋ allowed
  if (perVm < 1) {
    throw new LimitError(
      `${vms} VMs exceed the allocation limit of ${maxQuanta} quanta × VMs ` +
        `(at least 2 quanta per VM; raise it with --max-alloc-quanta / limits.maxQuanta)`,
    );
  }
  if (n * (Math.floor(memory / q) + 1) <= maxQuanta) return { quantum: q };
  const quantum = Math.ceil(memory / perVm);
  const asked = requested === undefined ? `the default quantum ${q}` : `quantum ${q}`;
  return {
    quantum,
    note:
      `quantum raised from ${q} to ${quantum} pages: ${asked} gives ` +
      `${n} VMs × ${Math.floor(memory / q) + 1} quanta, above the limit of ${maxQuanta} ` +
      `(raise it with --max-alloc-quanta / limits.maxQuanta)`,
  };
}
