import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { missRatioAt } from '../../../main/engine/mrc/curve.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { HypervisorMrcRecorder } from '../../../main/engine/mrc/hypervisor.js';
import {
  OP_DIRECT_WRITE,
  OP_READ,
  OP_WRITE,
  OP_WRITE_FULL,
  chunksOf,
  type InMemoryTrace,
} from '../../../main/engine/trace/chunk.js';
import {
  arbTrace,
  cloudPhysicsTrace,
  haveTestTraces,
  naiveLruMisses,
  sampleLirsTrace,
  toTrace,
  withWrites,
} from '../hypervisor/fixtures.js';

/** Real traces: a shipped sample always, the CloudPhysics reference with HCLAB_TEST_TRACES. */
const REAL: [string, () => InMemoryTrace, boolean][] = [
  ['multi3.trace.gz (shipped)', () => sampleLirsTrace('multi3.trace.gz'), false],
  ['cloudPhysicsIO.txt', cloudPhysicsTrace, !haveTestTraces()],
];

function exactCurve(trace: InMemoryTrace, warmup = 0) {
  const mrc = new ExactMrc(warmup, trace.distinct);
  for (const c of chunksOf(trace)) mrc.feed(c);
  return mrc.curve();
}

describe('hypervisor MRC', () => {
  it('equals the exact MRC on V..V+C+G for an LRU guest (random traces), NaN elsewhere', () => {
    fc.assert(
      fc.property(
        arbTrace(40, 400),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 50 }),
        fc.boolean(),
        (r, v, c, g, warmup, timed) => {
          const trace = toTrace(r, timed);
          const config = vmMemoryConfig({
            guestPages: v,
            warmup,
            hypervisor: { pages: c, ghostPages: g },
          });
          const res = simulateVmSync(config, chunksOf(trace, 64), {
            recorders: { exact: true, hypervisor: true },
          });
          const hv = res.curves.hypervisor!;
          const exact = exactCurve(trace, warmup);
          expect(res.curves.exact!.missesAt(v + c)).toBe(exact.missesAt(v + c));
          for (let s = v; s <= v + c + g; s++)
            expect(hv.missesAt(s), `size ${s}`).toBe(exact.missesAt(s));
          for (let s = 0; s < v; s++) expect(hv.missesAt(s)).toBeNaN();
          expect(hv.missesAt(v + c + g + 1)).toBeNaN();
          expect(hv.minSize).toBe(v);
          expect(hv.maxSize).toBe(v + c + g);
          expect(hv.references).toBe(exact.references);
          expect(hv.lookups).toBe(res.stats.guestMisses);
        },
      ),
      { numRuns: 300 },
    );
  });

  for (const [name, load, skip] of REAL)
    it.skipIf(skip)(`equals the exact MRC on ${name}`, () => {
      const trace = withWrites(load());
      const exact = exactCurve(trace);
      const cases: [number, number, number][] = [
        [0, 100, 0],
        [256, 768, 1024],
        [1000, 4000, 20000],
        [10000, 0, 30000],
      ];
      for (const [v, c, g] of cases) {
        const config = vmMemoryConfig({ guestPages: v, hypervisor: { pages: c, ghostPages: g } });
        const hv = simulateVmSync(config, chunksOf(trace, 10_000), {
          recorders: { hypervisor: true },
          expectedPages: trace.distinct,
        }).curves.hypervisor!;
        const step = Math.max(1, Math.floor((c + g) / 500));
        for (let s = v; s <= v + c + g; s += step)
          expect(hv.missesAt(s), `V=${v} C=${c} G=${g} size ${s}`).toBe(exact.missesAt(s));
        expect(hv.missesAt(v + c + g)).toBe(exact.missesAt(v + c + g));
        if (v > 0) expect(hv.missesAt(v - 1)).toBeNaN();
        expect(missRatioAt(hv, v + c)).toBeCloseTo(missRatioAt(exact, v + c), 12);
      }
    });

  it('stays exact on V..V+C+G with admission failures p = 0.05, 0.3 (brute-force LRU)', () => {
    for (const p of [0.05, 0.3])
      fc.assert(
        fc.property(
          arbTrace(40, 400),
          fc.integer({ min: 0, max: 15 }),
          fc.integer({ min: 1, max: 15 }),
          fc.integer({ min: 0, max: 15 }),
          fc.integer({ min: 0, max: 1000 }),
          (r, v, c, g, seed) => {
            const trace = toTrace(r, false);
            const config = vmMemoryConfig({
              guestPages: v,
              hypervisor: { pages: c, ghostPages: g, admissionFailure: p, seed },
            });
            const res = simulateVmSync(config, chunksOf(trace, 64), {
              recorders: { hypervisor: true },
            });
            const hv = res.curves.hypervisor!;
            for (let s = v; s <= v + c + g; s++)
              expect(hv.missesAt(s), `p=${p} V=${v} C=${c} G=${g} size ${s}`).toBe(
                naiveLruMisses(r.pages, s),
              );
          },
        ),
        { numRuns: 200 },
      );
  });

  it('stays exact with direct-I/O writes, full-page writes and admission failures', () => {
    // Invalidated copies keep their place (id-only) and full-page-write misses are announced to
    // the hypervisor, so its ranks are those of the guest references (exact skips direct writes).
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            page: fc.integer({ min: 0, max: 30 }),
            op: fc.constantFrom(OP_READ, OP_READ, OP_WRITE, OP_WRITE_FULL, OP_DIRECT_WRITE),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(0, 0.3),
        (refs, v, c, g, p) => {
          const trace: InMemoryTrace = {
            pages: Int32Array.from(refs.map((r) => r.page)),
            ops: Uint8Array.from(refs.map((r) => r.op)),
            times: null,
            distinct: 31,
          };
          const res = simulateVmSync(
            vmMemoryConfig({
              guestPages: v,
              hypervisor: { pages: c, ghostPages: g, admissionFailure: p, seed: 2 },
            }),
            chunksOf(trace, 50),
            { recorders: { exact: true, hypervisor: true } },
          );
          const guestPages = refs.filter((r) => r.op !== OP_DIRECT_WRITE).map((r) => r.page);
          for (let s = v; s <= v + c + g; s++) {
            expect(res.curves.hypervisor!.missesAt(s), `size ${s}`).toBe(
              naiveLruMisses(guestPages, s),
            );
            expect(res.curves.exact!.missesAt(s)).toBe(naiveLruMisses(guestPages, s));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with forgetFailed the hypervisor MRC is no longer exact under admission failures', () => {
    // A loop over 30 pages with V = 10, C = 25: every page fits in V + C, so LRU(V + C) only
    // misses cold; the naive hypervisor loses the ranks of failed pages.
    const pages = Array.from({ length: 3000 }, (_, i) => i % 30);
    const trace = toTrace({ pages, ops: pages.map(() => 0), times: pages.map(() => 0) }, false);
    const curveWith = (forgetFailed: boolean) =>
      simulateVmSync(
        vmMemoryConfig({
          guestPages: 10,
          hypervisor: { pages: 25, ghostPages: 5, admissionFailure: 0.3, seed: 5, forgetFailed },
        }),
        chunksOf(trace),
        { recorders: { hypervisor: true } },
      ).curves.hypervisor!;
    const tracked = curveWith(false);
    const forgot = curveWith(true);
    expect(tracked.missesAt(30)).toBe(naiveLruMisses(pages, 30));
    expect(tracked.missesAt(35)).toBe(30);
    expect(forgot.missesAt(30)).toBeGreaterThan(naiveLruMisses(pages, 30));
    // A real trace (shipped sample): exact with id-only entries, not when forgetting.
    const real = sampleLirsTrace('multi3.trace.gz');
    const exact = exactCurve(real);
    for (const p of [0.05, 0.3])
      for (const forgetFailed of [false, true]) {
        const hv = simulateVmSync(
          vmMemoryConfig({
            guestPages: 500,
            hypervisor: { pages: 1500, ghostPages: 500, admissionFailure: p, forgetFailed },
          }),
          chunksOf(real),
          { recorders: { hypervisor: true } },
        ).curves.hypervisor!;
        const sizes = [500, 1000, 1500, 2000, 2500];
        const got = sizes.map((size) => hv.missesAt(size));
        const want = sizes.map((size) => exact.missesAt(size));
        if (forgetFailed) expect(got, `p=${p}`).not.toEqual(want);
        else expect(got, `p=${p}`).toEqual(want);
      }
  });

  it('says its ratio denominator comes from the simulator and gives misses per second', () => {
    const pages = Array.from({ length: 1000 }, (_, i) => i % 30);
    const trace = toTrace({ pages, ops: pages.map(() => 0), times: pages.map((_, i) => i / 10) });
    const config = vmMemoryConfig({ guestPages: 10, hypervisor: { pages: 10, ghostPages: 10 } });
    const res = simulateVmSync(config, chunksOf(trace), { recorders: { hypervisor: true } });
    const hv = res.curves.hypervisor!;
    expect(hv.referencesFromSimulator).toBe(true);
    expect(hv.method).toBe('hypervisor');
    expect(hv.elapsedSeconds).toBeCloseTo(99.9, 9);
    // A loop over 30 pages: misses at every size below 30, only cold misses at 30.
    expect(hv.missesAt(29)).toBe(1000);
    expect(hv.missesAt(30)).toBe(30);
    expect(hv.missRateAt(30)).toBeCloseTo(30 / 99.9, 9);
    expect(hv.missRateAt(5)).toBeNaN();
    expect(res.stats.diskReadsPerSecond).toBeCloseTo(1000 / 99.9, 9);
  });

  it('maps positions in the hypervisor list to ranks V + p', () => {
    const rec = new HypervisorMrcRecorder(5, 3, 2);
    rec.onGet(0); // rank 5
    rec.onGet(2); // rank 7
    rec.onGet(4); // rank 9 (ghost position 1 behind C = 3 cache entries)
    rec.onGet(-1); // beyond
    const curve = rec.curve(100, 10);
    expect([5, 6, 7, 8, 9, 10].map((s) => curve.missesAt(s))).toEqual([4, 3, 3, 2, 2, 1]);
    expect(curve.missesAt(4)).toBeNaN();
    expect(curve.lookups).toBe(4);
    rec.resetCounters();
    expect(rec.curve(0, 0).missesAt(5)).toBe(0);
  });
});
