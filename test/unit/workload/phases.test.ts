import { describe, expect, it } from 'vitest';
import { generateTrace } from '../../../main/engine/workload/generate.js';
import {
  WorkloadSpecSchema,
  workloadFootprint,
  workloadRefs,
} from '../../../shared/schema/workload.js';
import type { WorkloadSpecInput } from '../../../shared/schema/workload.js';
import { binomialTolerance } from './stats.js';

type PhasesInput = Extract<WorkloadSpecInput, { kind: 'phases' }>;

describe('phases', () => {
  const spec: PhasesInput = {
    kind: 'phases',
    phases: [
      { refs: 1000, workload: { kind: 'uniform', pages: 100 } },
      { refs: 500, workload: { kind: 'uniform', pages: 100, offset: 1000 } },
      { refs: 250, workload: { kind: 'uniform', pages: 100, offset: 50 } },
    ],
  };

  it('switch at the right reference, and refs default to one pass', () => {
    const t = generateTrace(spec, 77);
    expect(t.pages.length).toBe(1750);
    const inRange = (from: number, to: number, lo: number, hi: number) =>
      t.pages.subarray(from, to).every((p) => p >= lo && p < hi);
    expect(inRange(0, 1000, 0, 100)).toBe(true);
    expect(inRange(1000, 1500, 1000, 1100)).toBe(true);
    expect(inRange(1500, 1750, 50, 150)).toBe(true);
    // Overlapping ranges: phase 3 touches pages of phase 1.
    expect(t.pages.subarray(1500).some((p) => p < 100)).toBe(true);
  });

  it('cycle back to the first phase by default', () => {
    const t = generateTrace({ ...spec, refs: 2000 });
    expect(t.pages.subarray(1750).every((p) => p < 100)).toBe(true);
  });

  it('keep the last phase when cycle is false', () => {
    const t = generateTrace({ ...spec, refs: 2500, cycle: false });
    expect(t.pages.subarray(1500).every((p) => p >= 50 && p < 150)).toBe(true);
  });

  it('cut a scan run at a phase boundary', () => {
    const t = generateTrace({
      kind: 'phases',
      refs: 12,
      phases: [
        { refs: 3, workload: { kind: 'scan', pages: 5 } },
        { refs: 3, workload: { kind: 'loop', pages: 2, offset: 10 } },
      ],
    });
    expect([...t.pages]).toEqual([0, 1, 2, 10, 11, 10, 3, 4, 0, 11, 10, 11]);
  });

  it('footprint and refs of nested specs', () => {
    const s = WorkloadSpecSchema.parse({ ...spec, offset: 5 });
    expect(workloadRefs(s)).toBe(1750);
    expect(workloadFootprint(s)).toBe(1105);
  });
});

describe('mix', () => {
  it('chooses parts per request, keeping scan runs whole', () => {
    const n = 200_000;
    const t = generateTrace({
      kind: 'mix',
      refs: n,
      seed: 4,
      parts: [
        { weight: 1, workload: { kind: 'scan', pages: 1000, run: 10 } },
        { weight: 1, workload: { kind: 'loop', pages: 100, offset: 5000 } },
      ],
    });
    // Runs of the scan part are never interrupted.
    let requests = 0;
    let scanRequests = 0;
    let broken = 0;
    for (let i = 0; i < n;) {
      requests++;
      if (t.pages[i] < 5000) {
        scanRequests++;
        const s = t.pages[i];
        const len = Math.min(10, n - i);
        for (let j = 0; j < len; j++) if (t.pages[i + j] !== s + j) broken++;
        i += len;
      } else i++;
    }
    expect(broken).toBe(0);
    expect(Math.abs(scanRequests - requests / 2)).toBeLessThan(binomialTolerance(requests, 0.5));
  });
});
