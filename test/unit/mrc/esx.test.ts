import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESX, vmMemoryConfig, type EsxConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { EsxSampler } from '../../../main/engine/mrc/esx.js';
import { chunksOf, type InMemoryTrace } from '../../../main/engine/trace/chunk.js';
import { Rng } from '../../../main/engine/util/rng.js';
import { arbTrace, toTrace } from '../hypervisor/fixtures.js';

function uniform(k: number, n: number, seed: number, rate?: number): InMemoryTrace {
  const rng = new Rng(seed);
  const pages = new Int32Array(n);
  // First touch every page once so ids are dense, then uniform.
  for (let i = 0; i < n; i++) pages[i] = i < k ? i : rng.int(k);
  const times = rate === undefined ? null : Float64Array.from(pages, (_, i) => i / rate);
  return { pages, ops: new Uint8Array(n), times, distinct: k };
}

function esxRun(trace: InMemoryTrace, v: number, c: number, esx: Partial<EsxConfig> = {}) {
  const config = vmMemoryConfig({ guestPages: v, hypervisor: { pages: c } });
  const res = simulateVmSync(config, chunksOf(trace), { recorders: { esx, exact: true } });
  return { esx: res.esx!, res };
}

describe('ESX statistical sampling', () => {
  it('converges to K on uniform access over K < A pages, within the binomial error', () => {
    const a = 1000;
    const k = 300;
    const n = 100;
    const sigma = a * Math.sqrt(((k / a) * (1 - k / a)) / n);
    for (const seed of [1, 2, 3, 4, 5]) {
      const { esx } = esxRun(uniform(k, 400_000, seed), 600, 400, {
        samples: n,
        seed,
        periodRefs: 10 * a,
      });
      expect(esx.allocation).toBe(a);
      expect(esx.periodMode).toBe('refs');
      expect(esx.periodRefs).toBe(10 * a);
      expect(esx.periods).toHaveLength(39);
      expect(Math.abs(esx.finalEstimate - k)).toBeLessThan(3 * sigma);
      // The per-period samples average to K much more tightly.
      const samples = esx.periods.map((p) => p.sampleEstimate);
      const mean = samples.reduce((x, y) => x + y, 0) / samples.length;
      expect(Math.abs(mean - k)).toBeLessThan((3 * sigma) / Math.sqrt(samples.length) + 1);
    }
  });

  it('saturates at A when every frame is touched each period (K above the allocation)', () => {
    const a = 500;
    // A loop over 2A pages with LRU: every reference misses and frames are reused in turn.
    const pages = Array.from({ length: 60_000 }, (_, i) => i % (2 * a));
    const loop: InMemoryTrace = {
      pages: Int32Array.from(pages),
      ops: new Uint8Array(pages.length),
      times: null,
      distinct: 2 * a,
    };
    const { esx } = esxRun(loop, 300, 200, { samples: 100, periodRefs: 5000 });
    expect(esx.periods.length).toBeGreaterThan(5);
    for (const p of esx.periods) {
      expect(p.touched).toBe(100); // n distinct frames, all touched
      expect(p.estimate).toBe(a);
    }
    expect(esx.finalEstimate).toBe(a);
    // Uniform access over 3A pages also touches every frame in a period of 10·A references.
    const wide = esxRun(uniform(3 * a, 100_000, 9), 300, 200, { periodRefs: 10 * a });
    expect(wide.esx.finalEstimate).toBe(a);
  });

  it('never estimates above the allocation; the three averages follow their formulas', () => {
    fc.assert(
      fc.property(
        arbTrace(60, 600),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 7 }),
        (r, v, c, samples, periodRefs, fastGain, slowGain, currentGain, currentUpdates) => {
          const a = v + c;
          const { esx, res } = esxRun(toTrace(r), v, c, {
            samples,
            periodRefs,
            fastGain,
            slowGain,
            currentGain,
            currentUpdates,
          });
          const n = Math.min(samples, a);
          const u = currentUpdates;
          let fast = Number.NaN;
          let slow = Number.NaN;
          let current = Number.NaN;
          const step = (x: number, g: number, s: number) => (Number.isNaN(x) ? s : x + g * (s - x));
          const top = (...xs: number[]) => Math.min(a, Math.max(0, ...xs.filter((x) => !isNaN(x))));
          esx.periods.forEach((p, k) => {
            // Updates inside period k: at j/u of the period, j = 1..u-1, first reference at or after.
            const inside = esx.updates.filter((x) => x.periodIndex === k);
            expect(inside).toHaveLength(p.partial || u <= 1 ? inside.length : u - 1);
            inside.forEach((x, j) => {
              expect(x.ref).toBe(Math.ceil(k * periodRefs + ((j + 1) * periodRefs) / u));
              expect(x.sampleEstimate).toBe((x.touched / n) * a);
              current = step(current, currentGain, x.sampleEstimate);
              expect(x.fastCurrent).toBe(current);
              expect(x.slow).toBe(k === 0 ? null : slow);
              expect(x.estimate).toBe(top(fast, slow, current));
            });
            expect(p.touched).toBeLessThanOrEqual(n);
            expect(p.fraction).toBe(p.touched / n);
            expect(p.sampleEstimate).toBe(p.fraction * a);
            fast = step(fast, fastGain, p.sampleEstimate);
            slow = step(slow, slowGain, p.sampleEstimate);
            expect(p.fast).toBe(fast);
            expect(p.slow).toBe(slow);
            if (u === 0) {
              expect(p.fastCurrent).toBeNull();
              expect(p.estimate).toBe(top(fast, slow));
            } else {
              current = step(current, currentGain, p.sampleEstimate);
              expect(p.fastCurrent).toBe(current);
              expect(p.estimate).toBe(top(fast, slow, current));
            }
            current = fast; // the next period's version starts at the fast average
            expect(p.estimate).toBeLessThanOrEqual(a);
            expect(p.periodIndex).toBe(k);
            if (!p.partial) expect(p.endRef).toBe((k + 1) * periodRefs);
          });
          expect(esx.finalEstimate).toBeLessThanOrEqual(a);
          // The A-page simulation misses like the exact LRU curve at A.
          expect(esx.misses).toBe(res.curves.exact!.missesAt(a));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns a step curve: misses at A for sizes ceil(estimate)..A, NaN elsewhere', () => {
    const { esx, res } = esxRun(uniform(300, 100_000, 3), 600, 400);
    const curve = res.curves.esx!;
    const lo = Math.ceil(esx.finalEstimate);
    expect(curve.method).toBe('esx');
    expect(curve.minSize).toBe(lo);
    expect(curve.maxSize).toBe(1000);
    expect(curve.missesAt(lo)).toBe(esx.misses);
    expect(curve.missesAt(1000)).toBe(esx.misses);
    expect(curve.missesAt(lo - 1)).toBeNaN();
    expect(curve.missesAt(1001)).toBeNaN();
    expect(esx.misses).toBe(300); // cold misses only: 300 pages fit in A
  });

  it('uses periods of VM time for timed streams and decays slowly while idle', () => {
    // 20 refs/s over 50 pages for 300 s, then one reference after 600 s of idleness.
    const busy = uniform(50, 6000, 4, 20);
    const pages = Int32Array.from([...busy.pages, 0]);
    const times = Float64Array.from([...(busy.times as Float64Array), 900]);
    const trace: InMemoryTrace = { pages, ops: new Uint8Array(pages.length), times, distinct: 50 };
    const { esx } = esxRun(trace, 100, 100, { samples: 200, periodSeconds: 30 });
    expect(esx.periodMode).toBe('seconds');
    expect(esx.periodSeconds).toBe(30);
    expect(esx.periods).toHaveLength(30);
    esx.periods.forEach((p, i) => expect(p.endTime).toBe(30 * (i + 1)));
    const busyEnd = esx.periods[9];
    expect(busyEnd.estimate).toBe(50); // all 200 frames sampled; 50 pages resident and touched
    const idle = esx.periods.slice(10);
    for (const p of idle) expect(p.touched).toBe(0);
    // Decays with the slow gain, not the fast one.
    expect(idle[0].estimate).toBeCloseTo(50 * 0.9, 9);
    expect(idle[4].estimate).toBeCloseTo(50 * 0.9 ** 5, 9);
    expect(esx.periods.at(-1)!.endRef).toBe(6000);
  });

  it('closes a partial period only when no period completed', () => {
    const short = esxRun(uniform(20, 500, 1), 50, 50, { periodRefs: 1000 });
    expect(short.esx.periods).toHaveLength(1);
    expect(short.esx.periods[0].partial).toBe(true);
    expect(short.esx.finalEstimate).toBe(20);
    const long = esxRun(uniform(20, 2500, 1), 50, 50, { periodRefs: 1000 });
    expect(long.esx.periods.map((p) => p.partial)).toEqual([false, false]);
  });

  it('flags warm-up periods and does not count warm-up misses', () => {
    const trace = uniform(100, 5000, 2);
    const config = vmMemoryConfig({ guestPages: 50, hypervisor: { pages: 50 }, warmup: 2500 });
    const esx = simulateVmSync(config, chunksOf(trace, 999), {
      recorders: { esx: { periodRefs: 1000 } },
    }).esx!;
    expect(esx.periods.map((p) => p.warmup)).toEqual([true, true, false, false]);
    expect(esx.references).toBe(2500);
    expect(esx.misses).toBe(0); // all 100 pages resident after warm-up
  });

  it('is reproducible from its seed and independent of chunking', () => {
    const trace = uniform(400, 50_000, 8);
    const run = (chunk: number, seed: number) => {
      const s = new EsxSampler(1000, { ...DEFAULT_ESX, seed, periodRefs: 5000 }, { policy: 'lru' });
      for (const c of chunksOf(trace, chunk)) s.feed(c);
      return s.result().periods.map((p) => p.touched);
    };
    expect(run(777, 5)).toEqual(run(50_000, 5));
    expect(run(777, 5)).not.toEqual(run(777, 6));
  });
});

describe('ESX periods on traces with their own epoch', () => {
  it('start at the first reference, not at time 0', () => {
    const base = uniform(300, 30_000, 9, 100); // 300 s of VM time at 100 refs/s
    const shifted: InMemoryTrace = {
      ...base,
      times: Float64Array.from(base.times as Float64Array, (t) => t + 5_633_898),
    };
    const a = esxRun(base, 600, 400, { periodSeconds: 30 }).esx;
    const b = esxRun(shifted, 600, 400, { periodSeconds: 30 }).esx;
    expect(b.periods).toHaveLength(9); // 0..300 s: nine complete 30 s periods
    expect(b.periods.map((p) => p.estimate)).toEqual(a.periods.map((p) => p.estimate));
    expect(b.periods[0].endTime).toBe(30);
  });
});
