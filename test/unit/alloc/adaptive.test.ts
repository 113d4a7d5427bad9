import { describe, expect, it } from 'vitest';
import { adaptiveAllocation } from '../../../main/engine/alloc/index.js';
import { generateWorkload } from '../../../main/engine/workload/generate.js';

describe('adaptive allocation', () => {
  it('follows a phase change: the VM whose working set grows gets more memory later', () => {
    const EPOCH = 5000;
    const grow = generateWorkload({
      kind: 'phases',
      cycle: false,
      phases: [
        { refs: 20_000, workload: { kind: 'loop', pages: 200 } },
        { refs: 20_000, workload: { kind: 'loop', pages: 1200 } },
      ],
    });
    const steady = generateWorkload({ kind: 'uniform', pages: 800, refs: 40_000, seed: 5 });
    const r = adaptiveAllocation(
      [
        { name: 'grow', chunks: grow },
        { name: 'steady', chunks: steady },
      ],
      { memory: 1600, quantum: 50, epochRefs: EPOCH },
    );
    expect(r.mode).toBe('refs');
    expect(r.epochs.length).toBe(8);
    const growPages = r.epochs.map((e) => e.allocations[0].pages);
    for (const e of r.epochs)
      expect(e.allocations.reduce((a, x) => a + x.pages, 0)).toBeLessThanOrEqual(1600);
    // Early: the small loop needs 200 pages; late: the 1200-page loop gets (nearly) all it needs.
    expect(growPages[2]).toBeLessThan(400);
    expect(growPages[7]).toBeGreaterThanOrEqual(1200);
    expect(growPages[7]).toBeGreaterThan(growPages[2]);
    // Once adapted, the grown loop stops missing.
    expect(r.epochs[7].allocations[0].misses).toBe(0);
  });

  it('supports decay and timed epochs', () => {
    const a = generateWorkload({ kind: 'uniform', pages: 100, refs: 3000, rate: 100 });
    const r = adaptiveAllocation([{ name: 'a', chunks: a }], {
      memory: 200,
      quantum: 10,
      epochSeconds: 10,
      decay: 0.5,
    });
    expect(r.mode).toBe('seconds');
    expect(r.epochs.length).toBe(3);
    expect(r.epochs[1].allocations[0].pages).toBeGreaterThanOrEqual(100);
  });
});
