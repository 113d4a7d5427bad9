/**
 * Progress of the allocation engines (RunControl) and its conversion into job.progress messages
 * (service/jobs/job-progress.ts, with a fake clock: no timing).
 */
import { describe, expect, it } from 'vitest';
import { adaptiveAllocation, solveAllocation } from '../../../main/engine/alloc/index.js';
import { CancelledError, type RunControl } from '../../../main/engine/control.js';
import { jobProgressControl } from '../../../main/service/jobs/job-progress.js';
import type { JobProgressMessage } from '../../../main/service/jobs/protocol.js';
import type { RefChunk } from '../../../main/engine/trace/chunk.js';

function recorder(): { control: RunControl; steps: string[]; calls: [number, number?][] } {
  const steps: string[] = [];
  const calls: [number, number?][] = [];
  return {
    steps,
    calls,
    control: {
      onStep: (w) => steps.push(w),
      onProgress: (done, total) => calls.push([done, total]),
    },
  };
}

const flat = (misses: number) => (pages: number) => Math.max(0, misses - pages);

describe('allocation progress', () => {
  it('the DP counts its cells up to their total, in order, and stops when cancelled', () => {
    const r = recorder();
    // 2 VMs × 1,501 quanta × 1,501 choices: several reports.
    const problem = {
      memory: 1500,
      quantum: 1,
      vms: [
        { name: 'a', curve: flat(1000), tolerance: Infinity },
        { name: 'b', curve: flat(700), tolerance: Infinity },
      ],
    };
    const result = solveAllocation(problem, r.control);
    expect(result.feasible).toBe(true);
    expect(r.calls.length).toBeGreaterThan(1);
    const total = 2 * 1501 * 1501;
    expect(r.calls.every(([, t]) => t === total)).toBe(true);
    expect(r.calls.at(-1)).toEqual([total, total]);
    const done = r.calls.map(([d]) => d);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // The same answer as without progress.
    expect(solveAllocation(problem)).toEqual(result);

    const abort = new AbortController();
    abort.abort();
    expect(() => solveAllocation(problem, { onProgress: () => {}, signal: abort.signal })).toThrow(
      CancelledError,
    );
  });

  it('adaptive allocation names a step per VM, then the epochs, with references done', () => {
    const chunk = (pages: number[]): RefChunk => ({
      length: pages.length,
      pages: Int32Array.from(pages),
      ops: new Uint8Array(pages.length),
      times: null,
    });
    const r = recorder();
    adaptiveAllocation(
      [
        { name: 'x', chunks: [chunk([1, 2, 3, 1, 2, 3]), chunk([4, 5])] },
        { name: 'y', chunks: [chunk([9, 9, 9, 9])] },
      ],
      { memory: 8, quantum: 1, epochRefs: 2 },
      r.control,
    );
    expect(r.steps).toEqual([
      'adaptive: per-epoch MRCs of x',
      'adaptive: per-epoch MRCs of y',
      'adaptive: allocating 4 epochs',
    ]);
    expect(r.calls.slice(0, 3)).toEqual([
      [6, 8],
      [8, 8],
      [4, 4],
    ]);
    expect(r.calls.slice(3)).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
  });
});

describe('job progress messages', () => {
  it('percent of the current step, throttled, ETA from the step rate; a new step at once', () => {
    let clock = 0;
    const posted: JobProgressMessage[] = [];
    const c = jobProgressControl(
      (m) => posted.push(m),
      () => clock,
      100,
    );
    c.onStep?.('exact DP');
    expect(posted).toEqual([
      { type: 'progress', percent: null, etaSeconds: null, what: 'exact DP' },
    ]);
    clock = 50;
    c.onProgress?.(10, 100); // within 100 ms of the last message: dropped
    expect(posted).toHaveLength(1);
    clock = 1000;
    c.onProgress?.(25, 100); // 25 % in 1 s: 3 s left
    expect(posted[1]).toEqual({ type: 'progress', percent: 25, etaSeconds: 3, what: 'exact DP' });
    clock = 1010;
    c.onStep?.('re-simulating a at 100 pages');
    clock = 1200;
    c.onProgress?.(5000, undefined); // unknown length
    expect(posted.slice(2)).toEqual([
      { type: 'progress', percent: null, etaSeconds: null, what: 're-simulating a at 100 pages' },
      { type: 'progress', percent: null, etaSeconds: null, what: 're-simulating a at 100 pages' },
    ]);
  });
});
