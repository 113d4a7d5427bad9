/**
 * Adaptive allocation (DESIGN.md §2): time is cut into epochs (T seconds of VM time, or R
 * references of each VM); each epoch every VM gets an exact LRU MRC of that epoch's references
 * (Mattson's stack is continuous across epochs, so an epoch's curve is the difference of the
 * cumulative curves at its ends: no spurious cold misses at epoch starts). With decay d the
 * curve used is h_e = d·h_{e−1} + epoch_e. The allocation for epoch e + 1 is the DP optimum on
 * h_e (epoch 0 starts at the equal share / baselines); the misses reported for an epoch are
 * those of its own curve at the size allocated to it (an LRU memory resized instantly at the
 * epoch boundary). Warm-up is not applied. If an epoch's problem is infeasible the previous
 * allocation is kept and the reason recorded.
 */
import { throwIfCancelled, type RunControl } from '../control.js';
import { ExactMrc } from '../mrc/exact.js';
import type { RefChunk } from '../trace/chunk.js';
import { LimitError } from '../limit-error.js';
import { solveAllocation } from './dp.js';
import {
  allocQuantum,
  DEFAULT_MAX_ADAPTIVE_CELLS,
  DEFAULT_MAX_EPOCHS,
  type AllocLimits,
} from './limits.js';

export interface AdaptiveVm {
  name: string;
  chunks: Iterable<RefChunk>;
  weight?: number;
  /** α (default ∞: pure global optimum); the baseline is the VM's equal share unless given. */
  tolerance?: number;
  baseline?: number;
  min?: number;
  max?: number;
  /** References per second for untimed chunks (default 1000). */
  untimedRate?: number;
}

export interface AdaptiveOptions {
  memory: number;
  quantum?: number;
  /** Epoch length in seconds of VM time (default 30) … */
  epochSeconds?: number;
  /** … or in references of each VM (takes precedence). */
  epochRefs?: number;
  /** d in [0, 1] (default 0: each epoch's curve alone). */
  decay?: number;
  /** Problem-size limits (README "Limits"). */
  limits?: AllocLimits;
}

export interface AdaptiveEpoch {
  index: number;
  /** End of the epoch: seconds of VM time, or references (mode 'refs'). */
  endTime: number;
  feasible: boolean;
  reason?: string;
  allocations: { name: string; pages: number; misses: number }[];
}

export interface AdaptiveResult {
  mode: 'seconds' | 'refs';
  quantum: number;
  /** Set when the quantum was raised to stay within the problem-size limit. */
  note?: string;
  epochs: AdaptiveEpoch[];
  totalMisses: number;
}

/** Cumulative misses at sizes j·q (j = 0..U) at the end of every epoch. */
function epochCurves(
  vm: AdaptiveVm,
  q: number,
  units: number,
  epochOf: (t: number, idx: number) => number,
  rate: number,
  maxEpochs: number,
  why: string,
  control: RunControl | undefined,
): Float64Array[] {
  control?.onStep?.(`adaptive: per-epoch MRCs of ${vm.name}`);
  const total = Array.isArray(vm.chunks)
    ? (vm.chunks as RefChunk[]).reduce((t, c) => t + c.length, 0)
    : undefined;
  const mrc = new ExactMrc(0);
  const out: Float64Array[] = [];
  const snapshot = (): void => {
    if (out.length >= maxEpochs) throw tooManyEpochs(vm.name, maxEpochs, why);
    const c = mrc.curve();
    const a = new Float64Array(units + 1);
    for (let j = 0; j <= units; j++) a[j] = c.missesAt(j * q);
    out.push(a);
  };
  let idx = 0;
  let origin: number | null = null;
  let epoch = 0;
  for (const chunk of vm.chunks) {
    if (chunk.times !== null && origin === null && chunk.length > 0) origin = chunk.times[0];
    let start = 0;
    for (let i = 0; i < chunk.length; i++, idx++) {
      const t = chunk.times !== null ? chunk.times[i] - (origin ?? 0) : idx / rate;
      const e = epochOf(t, idx);
      if (e > epoch) {
        if (!(e < maxEpochs)) throw tooManyEpochs(vm.name, maxEpochs, why);
        if (i > start) mrc.feed(slice(chunk, start, i));
        start = i;
        while (epoch < e) {
          snapshot();
          epoch++;
        }
      }
    }
    if (chunk.length > start) mrc.feed(slice(chunk, start, chunk.length));
    control?.onProgress?.(idx, total);
    throwIfCancelled(control);
  }
  if (idx > 0) snapshot();
  return out;
}

function tooManyEpochs(vm: string, maxEpochs: number, why: string): LimitError {
  return new LimitError(
    `${vm}: more than ${maxEpochs} adaptive epochs (${why}); use longer epochs or a coarser ` +
      `quantum, or raise the limit with --max-epochs / limits.maxEpochs`,
  );
}

function slice(c: RefChunk, start: number, end: number): RefChunk {
  return {
    length: end - start,
    pages: c.pages.subarray(start, end),
    ops: c.ops.subarray(start, end),
    times: c.times === null ? null : c.times.subarray(start, end),
  };
}

/** `control` gets a step per VM's curves (references done) and one for the epochs' DPs. */
export function adaptiveAllocation(
  vms: readonly AdaptiveVm[],
  options: AdaptiveOptions,
  control?: RunControl,
): AdaptiveResult {
  const M = options.memory;
  const limits = options.limits ?? {};
  const { quantum: q, note } = allocQuantum(M, vms.length, options.quantum, limits.maxQuanta);
  const units = Math.floor(M / q);
  const maxCells = limits.maxAdaptiveCells ?? DEFAULT_MAX_ADAPTIVE_CELLS;
  const perEpoch = Math.max(1, vms.length) * (units + 1);
  // Both the epoch limit and the memory kept (epochs · VMs · (U + 1) numbers) bound the epochs.
  const epochLimit = limits.maxEpochs ?? DEFAULT_MAX_EPOCHS;
  const byMemory = Math.max(1, Math.floor(maxCells / perEpoch));
  const maxEpochs = Math.min(epochLimit, byMemory);
  const why =
    maxEpochs === epochLimit
      ? `the epoch limit`
      : `each epoch keeps ${perEpoch} numbers (VMs × quanta) and the limit is ${maxCells} ` +
        `(--max-adaptive-cells / limits.maxAdaptiveCells)`;
  const decay = options.decay ?? 0;
  if (!(decay >= 0 && decay <= 1)) throw new RangeError(`decay must be in [0, 1], got ${decay}`);
  const byRefs = options.epochRefs !== undefined;
  const epochLen = byRefs ? (options.epochRefs as number) : (options.epochSeconds ?? 30);
  if (!(epochLen > 0)) throw new RangeError(`epoch length must be positive, got ${epochLen}`);
  const epochOf = byRefs
    ? (_t: number, idx: number) => Math.floor(idx / epochLen)
    : (t: number) => Math.floor(t / epochLen);
  const cumulative = vms.map((vm) =>
    epochCurves(vm, q, units, epochOf, vm.untimedRate ?? 1000, maxEpochs, why, control),
  );
  const nEpochs = Math.max(0, ...cumulative.map((c) => c.length));
  // Per-epoch misses at j·q (a VM that ended earlier has no more misses).
  const perEpochMisses = cumulative.map((cum) => {
    const out: Float64Array[] = [];
    for (let e = 0; e < nEpochs; e++) {
      const cur = cum[Math.min(e, cum.length - 1)];
      const prev = e === 0 ? null : cum[Math.min(e - 1, cum.length - 1)];
      const a = new Float64Array(units + 1);
      if (cur !== undefined)
        for (let j = 0; j <= units; j++) a[j] = cur[j] - (prev === null ? 0 : prev[j]);
      out.push(a);
    }
    return out;
  });
  const n = vms.length;
  const share = n > 0 ? Math.floor(M / n / q) * q : 0;
  let current = vms.map((vm) => {
    const b = vm.baseline ?? share;
    return Math.min(Math.floor(b / q) * q, units * q);
  });
  const smoothed = vms.map(() => new Float64Array(units + 1));
  const epochs: AdaptiveEpoch[] = [];
  let totalMisses = 0;
  let feasible = true;
  let reason: string | undefined;
  control?.onStep?.(`adaptive: allocating ${nEpochs} epochs`);
  for (let e = 0; e < nEpochs; e++) {
    control?.onProgress?.(e, nEpochs);
    throwIfCancelled(control);
    const allocations = vms.map((vm, i) => {
      const misses = perEpochMisses[i][e][current[i] / q];
      totalMisses += misses;
      return { name: vm.name, pages: current[i], misses };
    });
    epochs.push({
      index: e,
      endTime: (e + 1) * epochLen,
      feasible,
      ...(reason === undefined ? {} : { reason }),
      allocations,
    });
    // Learn from this epoch, allocate the next one.
    for (let i = 0; i < n; i++) {
      const h = smoothed[i];
      const ep = perEpochMisses[i][e];
      for (let j = 0; j <= units; j++) h[j] = decay * h[j] + ep[j];
    }
    const result = solveAllocation({
      memory: M,
      quantum: q,
      vms: vms.map((vm, i) => {
        const h = smoothed[i];
        return {
          name: vm.name,
          curve: (pages: number) => {
            const j = pages / q;
            if (Number.isInteger(j) && j >= 0 && j <= units) return h[j];
            // Baselines off the grid: linear between neighbouring quanta.
            const lo = Math.floor(j);
            if (lo < 0 || lo >= units) return Number.NaN;
            return h[lo] + (h[lo + 1] - h[lo]) * (j - lo);
          },
          weight: vm.weight,
          tolerance: vm.tolerance ?? Number.POSITIVE_INFINITY,
          baseline: vm.baseline,
          min: vm.min,
          max: vm.max,
        };
      }),
    });
    if (result.feasible) {
      current = result.allocations.map((a) => a.pages);
      feasible = true;
      reason = undefined;
    } else {
      feasible = false;
      reason = result.reason;
    }
  }
  return {
    mode: byRefs ? 'refs' : 'seconds',
    quantum: q,
    ...(note === undefined ? {} : { note }),
    epochs,
    totalMisses,
  };
}
