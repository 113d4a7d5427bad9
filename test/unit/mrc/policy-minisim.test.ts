import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { missRatioAt } from '../../../main/engine/mrc/curve.js';
import { meanAbsoluteError } from '../../../main/engine/mrc/error.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { MiniSimMrc } from '../../../main/engine/mrc/minisim.js';
import { PolicySimMrc } from '../../../main/engine/mrc/policy-sim.js';
import { ParallelPolicySim } from '../../../main/service/parallel-policy-sim.js';
import { POLICY_NAMES, type PolicyName } from '../../../main/engine/policy/policy.js';
import { chunksOf, type InMemoryTrace, traceFromPages } from '../../../main/engine/trace/chunk.js';
import { readTraceToMemory } from '../../../main/engine/trace/index.js';
import { Rng } from '../../../main/engine/util/rng.js';
import { haveTestTraces, testTrace } from '../../support/test-traces.js';

const POLICIES = POLICY_NAMES.filter((p) => p !== 'opt');

/** A random trace with a hot set, a loop and a scan so the policies disagree. */
function mixedTrace(n: number, seed: number): InMemoryTrace {
  const rng = new Rng(seed);
  const rnd = (): number => rng.next();
  const pages: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rnd();
    if (u < 0.5) pages.push(Math.floor(rnd() * 50));
    else if (u < 0.8) pages.push(100 + (i % 300));
    else pages.push(1000 + Math.floor(rnd() * 3000));
  }
  return traceFromPages(pages);
}

describe('policy method: one simulation per size', () => {
  const trace = mixedTrace(40_000, 7);
  const sizes = [0, 1, 3, 10, 40, 128, 400, 1000];

  it.each(POLICIES)('%s equals the guest-memory simulation (hclab simulate) at every size', (p) => {
    const sim = new PolicySimMrc(p as PolicyName, sizes, 1000);
    for (const c of chunksOf(trace, 4096)) sim.feed(c);
    const curve = sim.curve();
    for (const size of sizes) {
      const vm = simulateVmSync(
        vmMemoryConfig({ guestPages: size, policy: p as PolicyName, warmup: 1000 }),
        chunksOf(trace, 4096),
      );
      expect({ size, misses: curve.missesAt(size) }).toEqual({
        size,
        misses: vm.stats.guestMisses,
      });
    }
    expect(curve.references).toBe(39_000);
    expect(curve.missesAt(5)).toBeNaN(); // not simulated: unknown
  });

  it('for lru equals exact (Mattson) at every size', () => {
    const all = Array.from({ length: 60 }, (_, k) => k * 20);
    const sim = new PolicySimMrc('lru', all, 500);
    const exact = new ExactMrc(500);
    for (const c of chunksOf(trace, 1000)) {
      sim.feed(c);
      exact.feed(c);
    }
    const e = exact.curve();
    for (const s of all) expect(sim.curve().missesAt(s)).toBe(e.missesAt(s));
  });
});

/** minisim at rate 1 is the policy method itself, for every policy and size. */
function expectRateOneIsPolicy(trace: InMemoryTrace, sizes: number[]): void {
  for (const p of POLICIES) {
    const full = new PolicySimMrc(p, sizes);
    const mini = new MiniSimMrc(p, sizes, { rate: 1 });
    for (const c of chunksOf(trace, 3000)) {
      full.feed(c);
      mini.feed(c);
    }
    for (const s of sizes)
      expect(mini.curve().missesAt(s), `${p} at ${s}`).toBe(full.curve().missesAt(s));
  }
}

describe('minisim', () => {
  it('at rate 1 equals the policy method', () => {
    expectRateOneIsPolicy(mixedTrace(20_000, 3), [10, 100, 500]);
  });

  it('at rate 1 on runs of one page (LRU and FIFO see only their first) equals the policy method', () => {
    const rng = new Rng(5);
    const pages: number[] = [];
    while (pages.length < 20_000) {
      const page = rng.next() < 0.3 ? 0 : Math.floor(rng.next() * 400);
      for (let k = 1 + Math.floor(rng.next() * 6); k > 0; k--) pages.push(page);
    }
    expectRateOneIsPolicy(traceFromPages(pages), [0, 1, 10, 100, 500]);
  });

  it('rejects a rate outside (0, 1] and opt', () => {
    expect(() => new MiniSimMrc('lru', [1], { rate: 0 })).toThrow(/rate/);
    expect(() => new MiniSimMrc('opt', [1], { rate: 0.1 })).toThrow(/opt/);
    expect(
      () => new MiniSimMrc('lru', [1], { mode: 'fixed-size', rate: 1, maxSamples: 0 }),
    ).toThrow(/maxSamples/);
  });
});

describe('minisim, fixed-size (SHARDS_max sampling)', () => {
  const trace = mixedTrace(30_000, 5);
  const distinct = new Set(trace.pages).size;
  const sizes = [10, 100, 500, 2000];

  it('with room for every page it never samples down and equals the policy method', () => {
    for (const p of POLICIES) {
      const full = new PolicySimMrc(p, sizes, 300);
      const mini = new MiniSimMrc(
        p,
        sizes,
        { mode: 'fixed-size', rate: 1, maxSamples: distinct },
        300,
      );
      for (const c of chunksOf(trace, 2500)) {
        full.feed(c);
        mini.feed(c);
      }
      expect(mini.rate).toBe(1);
      expect(sizes.map((s) => mini.curve().missesAt(s))).toEqual(
        sizes.map((s) => full.curve().missesAt(s)),
      );
    }
  });

  it.each(POLICIES)(
    '%s: never tracks more than S pages; each miniature is round(size·R) and holds at most that',
    (p) => {
      const S = 300;
      const mini = new MiniSimMrc(p, sizes, { mode: 'fixed-size', rate: 1, maxSamples: S });
      let rate = 1;
      let falls = 0;
      // Small chunks of odd length, so the checks run at many points of the stream.
      for (const c of chunksOf(trace, 37)) {
        mini.feed(c);
        expect(mini.sampledPages).toBeLessThanOrEqual(S);
        expect(mini.maxSampledPages).toBeLessThanOrEqual(S);
        expect(mini.rate).toBeLessThanOrEqual(rate);
        if (mini.rate < rate) falls++;
        rate = mini.rate;
        const caps = mini.miniSizes;
        expect(caps).toEqual(sizes.map((s) => Math.round(s * rate)));
        mini.miniResident.forEach((n, k) => {
          expect(n).toBeLessThanOrEqual(S);
          // libCacheSim's LIRS may hold a few pages over its capacity (a fresh one does too).
          if (p !== 'lirs') expect(n).toBeLessThanOrEqual(caps[k]);
        });
      }
      expect(mini.maxSampledPages).toBe(S);
      expect(falls).toBeGreaterThan(10);
      // The final rate is about S over the distinct pages (the hash spreads pages evenly).
      expect(rate * distinct).toBeGreaterThan(S * 0.6);
      expect(rate * distinct).toBeLessThan(S * 1.6);
      // Misses are weighted by 1/R of their time: never above the references.
      for (const s of sizes) expect(mini.curve().missesAt(s)).toBeLessThanOrEqual(30_000);
    },
  );
});

/**
 * Issue 10: minisim MAE against the policy method at most 0.01 at R = 0.1 and 0.02 at R = 0.01,
 * for every policy. The whole w106 trace (5.3 M references, 275,171 distinct pages), five sizes
 * from 5,000 to 100,000 pages (fewer sizes keep the full simulations to seconds per policy).
 * Fixed-size minisim is held to the same bounds at S = 27,500 and 2,750 sampled pages, the
 * sample sizes of R = 0.1 and 0.01 on this trace.
 *
 * lfu is tested apart (below): in-cache LFU is not scale-invariant under spatial sampling.
 */
describe.skipIf(!haveTestTraces())('minisim on w106.trace.xz against the policy method', () => {
  const sizes = [5_000, 10_000, 20_000, 50_000, 100_000];
  let trace: InMemoryTrace;
  it('reads the trace', async () => {
    trace = (await readTraceToMemory(testTrace('w106.trace.xz'))).trace;
    expect(trace.pages.length).toBeGreaterThan(5_000_000);
  }, 120_000);

  it.each(POLICIES.filter((p) => p !== 'lfu'))(
    '%s: MAE ≤ 0.01 at R = 0.1 and ≤ 0.02 at R = 0.01 (fixed rate, and fixed size at the same sample sizes)',
    (p) => {
      const full = new PolicySimMrc(p as PolicyName, sizes);
      const m1 = new MiniSimMrc(p as PolicyName, sizes, { rate: 0.1 });
      const m2 = new MiniSimMrc(p as PolicyName, sizes, { rate: 0.01 });
      const f1 = new MiniSimMrc(p as PolicyName, sizes, {
        mode: 'fixed-size',
        rate: 1,
        maxSamples: 27_500,
      });
      const f2 = new MiniSimMrc(p as PolicyName, sizes, {
        mode: 'fixed-size',
        rate: 1,
        maxSamples: 2_750,
      });
      const minis = [m1, m2, f1, f2];
      for (const c of chunksOf(trace)) {
        full.feed(c);
        for (const m of minis) m.feed(c);
      }
      const truth = full.curve();
      const [e1, e2, g1, g2] = minis.map((m) => meanAbsoluteError(m.curve(), truth, sizes));
      console.log(
        `minisim ${p}: MAE R=0.1 ${e1.mae.toFixed(4)}, R=0.01 ${e2.mae.toFixed(4)}; fixed-size S=27500 ${g1.mae.toFixed(4)} (R ${f1.rate.toFixed(4)}), S=2750 ${g2.mae.toFixed(4)} (R ${f2.rate.toFixed(4)}); truth ${sizes.map((s) => missRatioAt(truth, s).toFixed(3)).join(' ')}`,
      );
      expect(e1.sizesCompared).toBe(sizes.length);
      expect(e1.mae).toBeLessThanOrEqual(0.01);
      expect(e2.mae).toBeLessThanOrEqual(0.02);
      expect(f1.maxSampledPages).toBe(27_500);
      expect(f2.maxSampledPages).toBe(2_750);
      expect(g1.mae).toBeLessThanOrEqual(0.01);
      expect(g2.mae).toBeLessThanOrEqual(0.02);
    },
    300_000,
  );

  /**
   * lfu misses the bounds, and that is a property of in-cache LFU, not of this code:
   *
   * - The full-size curve is libCacheSim's: libCacheSim develop aa0fc40 (the scratch build of
   *   libcachesim-counts.test.ts, w106 written one page per line) gives, with
   *   `cachesim w106.txt txt lfu 5000,10000,20000,50000,100000 --ignore-obj-size 1`, the misses
   *   in LIBCACHESIM_LFU below, which PolicySimMrc reproduces exactly.
   * - libCacheSim's own miniature simulation (its mrcProfiler MINISIM mode: spatial sampling,
   *   caches of size·R, misses × 1/R; reproduced with cachesim --sample-ratio R at sizes size·R)
   *   has the same error: MAE 0.043 at R = 0.1 and 0.061 at R = 0.01, from the sampled misses in
   *   LIBCACHESIM_MINISIM_LFU.
   * - The error always has the same sign (the miniature underestimates the miss ratio), grows as
   *   R falls (MAE 0.013, 0.029, 0.039, 0.050, 0.061, 0.072 at R = 0.5, 0.2, 0.1, 0.05, 0.02,
   *   0.01) and shrinks as the size grows. Why: a loaded page starts at count 1 and every victim
   *   is the oldest count-1 page while there is one, so new pages live in a small probation pool
   *   that does not scale with the cache (5,000 pages: 4.6 count-1 pages full-size, 1.5 at
   *   R = 0.1, 1.1 at R = 0.01 where scale invariance wants 0.46 and 0.05). A new page's life
   *   before eviction is 10 references of the full stream in the full cache and 48 and 655 in
   *   the miniatures, so far more pages earn a second hit there and the miniature misses less.
   *
   * The test asserts those facts, and bounds the error near what was measured (so a change that
   * makes it worse still fails).
   */
  it('lfu: the miniature underestimates at every size, more as R falls, as libCacheSim’s does', () => {
    const LIBCACHESIM_LFU = [1735756, 1276040, 852886, 556142, 388536];
    const LIBCACHESIM_MINISIM_LFU: [number, number[]][] = [
      [0.1, [132318, 93853, 63226, 44753, 33335]],
      [0.01, [10561, 8517, 5848, 3809, 3218]],
    ];
    const full = new PolicySimMrc('lfu', sizes);
    const m1 = new MiniSimMrc('lfu', sizes, { rate: 0.1 });
    const m2 = new MiniSimMrc('lfu', sizes, { rate: 0.01 });
    for (const c of chunksOf(trace)) {
      full.feed(c);
      m1.feed(c);
      m2.feed(c);
    }
    const truth = full.curve();
    const n = truth.references;
    expect(sizes.map((s) => truth.missesAt(s))).toEqual(LIBCACHESIM_LFU);
    const signed = (m: MiniSimMrc): number[] =>
      sizes.map((s) => (m.curve().missesAt(s) - truth.missesAt(s)) / n);
    const d1 = signed(m1);
    const d2 = signed(m2);
    const mae = (d: number[]): number => d.reduce((a, b) => a + Math.abs(b), 0) / d.length;
    const lcs = LIBCACHESIM_MINISIM_LFU.map(([r, m]) =>
      mae(m.map((x, k) => (x / r - LIBCACHESIM_LFU[k]) / n)),
    );
    console.log(
      `minisim lfu: MAE R=0.1 ${mae(d1).toFixed(4)}, R=0.01 ${mae(d2).toFixed(4)}; libCacheSim's miniature simulation ${lcs.map((e) => e.toFixed(4)).join(', ')}`,
    );
    for (const d of [...d1, ...d2]) expect(d).toBeLessThan(0);
    d1.forEach((d, k) => expect(Math.abs(d2[k])).toBeGreaterThan(Math.abs(d)));
    // Beyond the bounds, as libCacheSim's own miniature simulation is ...
    expect(mae(d1)).toBeGreaterThan(0.01);
    expect(mae(d2)).toBeGreaterThan(0.02);
    expect(lcs[0]).toBeGreaterThan(0.01);
    expect(lcs[1]).toBeGreaterThan(0.02);
    // ... by about as much (measured 0.039 vs 0.043 and 0.072 vs 0.061), and not worse than seen.
    expect(mae(d1) / lcs[0]).toBeGreaterThan(0.5);
    expect(mae(d1) / lcs[0]).toBeLessThan(1.5);
    expect(mae(d2) / lcs[1]).toBeGreaterThan(0.5);
    expect(mae(d2) / lcs[1]).toBeLessThan(1.5);
    expect(mae(d1)).toBeLessThan(0.045);
    expect(mae(d2)).toBeLessThan(0.08);
  }, 300_000);
});

describe('policy method across worker threads', () => {
  it('three workers give the same curve as one thread (needs npm run build)', async () => {
    const trace = mixedTrace(30_000, 11);
    const sizes = [5, 50, 200, 700, 1500];
    for (const p of ['lru', 'arc', 'lirs', 's3fifo'] as const) {
      const par = new ParallelPolicySim(p, sizes, 100, 3);
      expect(par.threads).toBe(3);
      const one = new PolicySimMrc(p, sizes, 100);
      for (const c of chunksOf(trace, 2048)) {
        par.feed(c);
        one.feed(c);
      }
      const got = await par.curve();
      expect(sizes.map((s) => got.missesAt(s))).toEqual(sizes.map((s) => one.curve().missesAt(s)));
      expect(got.references).toBe(one.references);
    }
  });
});
