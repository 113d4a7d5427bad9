/**
 * Allocation problem-size limits (issue 11, point 2): quanta × VMs (a too-fine quantum is raised
 * with a note), adaptive epochs and the numbers adaptive allocation keeps. Each limit is tested
 * at the limit and one past it.
 */
import { describe, expect, it } from 'vitest';
import {
  adaptiveAllocation,
  allocQuantum,
  DEFAULT_MAX_ALLOC_QUANTA,
  solveAllocation,
} from '../../../main/engine/alloc/index.js';
import { LimitError } from '../../../main/engine/limit-error.js';
import { generateWorkload } from '../../../main/engine/workload/generate.js';

/** Misses falling linearly to 0 at `ws` pages. */
const linear = (ws: number) => (pages: number) => Math.max(0, ws - pages);

describe('quanta × VMs', () => {
  it('at the limit the quantum stays; one quantum more raises it with a note', () => {
    // 2 VMs × (⌊M/q⌋ + 1) = 2 × 25,000 = 50,000 = the default limit.
    expect(allocQuantum(24_999, 2, 1)).toEqual({ quantum: 1 });
    const raised = allocQuantum(25_000, 2, 1);
    expect(raised.quantum).toBe(2);
    expect(raised.note).toContain('quantum raised from 1 to 2 pages');
    expect(raised.note).toContain(`above the limit of ${DEFAULT_MAX_ALLOC_QUANTA}`);
    expect(2 * (Math.floor(25_000 / raised.quantum) + 1)).toBeLessThanOrEqual(
      DEFAULT_MAX_ALLOC_QUANTA,
    );
  });

  it('M = 10^12 pages at quantum 1 is solved with a raised quantum instead of aborting', () => {
    const memory = 1e12;
    const r = solveAllocation({
      memory,
      quantum: 1,
      vms: [
        { name: 'a', curve: linear(3e11), tolerance: Infinity },
        { name: 'b', curve: linear(5e11), tolerance: Infinity },
      ],
    });
    expect(r.feasible).toBe(true);
    expect(r.note).toContain('quantum raised from 1');
    expect(2 * (Math.floor(memory / r.quantum) + 1)).toBeLessThanOrEqual(DEFAULT_MAX_ALLOC_QUANTA);
    if (r.feasible) {
      // Both working sets fit (3e11 + 5e11 ≤ 1e12): no misses at the optimum.
      expect(r.totalPredictedMisses).toBe(0);
      expect(r.memoryUsed).toBeLessThanOrEqual(memory);
    }
  });

  it('a raised limit is honoured; too many VMs for even 2 quanta each is a LimitError', () => {
    expect(allocQuantum(99_999, 2, 1, 200_000)).toEqual({ quantum: 1 });
    expect(() => allocQuantum(100, 3, 1, 5)).toThrow(LimitError);
  });
});

describe('adaptive epochs', () => {
  const vm = (refs: number) => ({
    name: 'web',
    chunks: generateWorkload({ kind: 'uniform', pages: 50, refs, seed: 1 }),
  });

  it('exactly maxEpochs epochs pass; one more is a LimitError naming the VM and the flag', () => {
    const ok = adaptiveAllocation([vm(1000)], {
      memory: 100,
      quantum: 10,
      epochRefs: 10,
      limits: { maxEpochs: 100 },
    });
    expect(ok.epochs).toHaveLength(100);
    expect(() =>
      adaptiveAllocation([vm(1001)], {
        memory: 100,
        quantum: 10,
        epochRefs: 10,
        limits: { maxEpochs: 100 },
      }),
    ).toThrow(/web: more than 100 adaptive epochs .*--max-epochs/);
  });

  it('epochRefs 1 and epochSeconds 1e-300 stop at the limit instead of exhausting memory', () => {
    expect(() => adaptiveAllocation([vm(20_000)], { memory: 100, epochRefs: 1 })).toThrow(
      LimitError,
    );
    const timed = {
      name: 'web',
      chunks: generateWorkload({ kind: 'uniform', pages: 50, refs: 100, rate: 10, seed: 1 }),
    };
    expect(() => adaptiveAllocation([timed], { memory: 100, epochSeconds: 1e-300 })).toThrow(
      LimitError,
    );
  });

  it('the numbers kept (epochs × VMs × quanta) are bounded too, at and past the limit', () => {
    // 1 VM × 11 quanta = 11 numbers per epoch; 1100 cells allow exactly 100 epochs.
    const base = { memory: 100, quantum: 10, epochRefs: 10 };
    expect(
      adaptiveAllocation([vm(1000)], { ...base, limits: { maxAdaptiveCells: 1100 } }).epochs,
    ).toHaveLength(100);
    expect(() =>
      adaptiveAllocation([vm(1000)], { ...base, limits: { maxAdaptiveCells: 1099 } }),
    ).toThrow(/each epoch keeps 11 numbers/);
  });
});
