import { describe, expect, it } from 'vitest';
import { OP_READ } from '../../../main/engine/trace/chunk.js';
import { generateTrace, generateWorkload } from '../../../main/engine/workload/generate.js';
import type { WorkloadSpecInput } from '../../../shared/schema/workload.js';
import { binomialTolerance, chiSquare, chiSquareCritical, countOps, sameArray } from './stats.js';

const SPECS: WorkloadSpecInput[] = [
  { kind: 'uniform', pages: 1000, refs: 20_000 },
  { kind: 'zipf', pages: 1000, refs: 20_000, alpha: 0.8, scatter: true },
  { kind: 'scan', pages: 1000, run: 37, refs: 20_000 },
  { kind: 'hotcold', hot: 10, cold: 990, refs: 20_000, writeFraction: 0.4, fsyncRate: 0.2 },
  { kind: 'preset', preset: 'tpcc', pages: 5000, refs: 20_000, rate: 100, arrivals: 'poisson' },
  {
    kind: 'mix',
    refs: 20_000,
    parts: [
      { weight: 1, workload: { kind: 'scan', pages: 500, run: 100 } },
      { weight: 3, workload: { kind: 'uniform', pages: 500, offset: 500 } },
    ],
  },
];

describe('determinism', () => {
  it.each(SPECS.map((s) => [s.kind, s] as const))('%s: same seed, same stream', (_k, spec) => {
    const a = generateTrace({ ...spec, seed: 42 });
    const b = generateTrace({ ...spec, seed: 42 });
    expect(sameArray(a.pages, b.pages)).toBe(true);
    expect(sameArray(a.ops, b.ops)).toBe(true);
    expect(sameArray(a.times, b.times)).toBe(true);
  });

  it.each(SPECS.map((s) => [s.kind, s] as const))('%s: other seed, other stream', (_k, spec) => {
    const a = generateTrace({ ...spec, seed: 1 });
    const b = generateTrace({ ...spec, seed: 2 });
    expect(sameArray(a.pages, b.pages)).toBe(false);
  });

  it.each(SPECS.map((s) => [s.kind, s] as const))(
    '%s: the stream does not depend on the chunk size',
    (_k, spec) => {
      const a = generateTrace(spec, 65536);
      const b = generateTrace(spec, 97);
      const c = generateTrace(spec, 1);
      expect(sameArray(b.pages, a.pages)).toBe(true);
      expect(sameArray(c.pages, a.pages)).toBe(true);
      expect(sameArray(b.ops, a.ops)).toBe(true);
      expect(sameArray(b.times, a.times)).toBe(true);
    },
  );

  it('yields chunks of the requested size, fresh arrays each time', () => {
    const chunks = [...generateWorkload({ kind: 'loop', pages: 10, refs: 25 }, 10)];
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks[0].pages).not.toBe(chunks[1].pages);
    expect(chunks.every((c) => c.times === null)).toBe(true);
  });

  it('refs = 0 yields nothing', () => {
    expect([...generateWorkload({ kind: 'uniform', pages: 10, refs: 0 })]).toEqual([]);
  });

  it('rejects a bad spec or chunk size with a message naming the field', () => {
    expect(() => [...generateWorkload({ kind: 'uniform', pages: -1, refs: 3 })]).toThrow(
      /pages: expected a positive integer, got -1/,
    );
    expect(() => [...generateWorkload({ kind: 'uniform', pages: 1, refs: 3 }, 0)]).toThrow(
      /chunkRefs/,
    );
  });
});

describe('uniform', () => {
  it('covers the pages uniformly (χ² over 1000 pages, 1e6 refs)', () => {
    const n = 1_000_000;
    const t = generateTrace({ kind: 'uniform', pages: 1000, refs: n, seed: 3 });
    const counts = new Float64Array(1000);
    for (const p of t.pages) counts[p]++;
    expect(counts.every((c) => c > 0)).toBe(true);
    const probs = new Float64Array(1000).fill(1 / 1000);
    expect(chiSquare(counts, probs, n)).toBeLessThan(chiSquareCritical(999));
  });
});

describe('loop and scan', () => {
  it('loop repeats 0..pages-1 exactly', () => {
    const t = generateTrace({ kind: 'loop', pages: 4, refs: 10 });
    expect([...t.pages]).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    expect([...t.ops]).toEqual(new Array(10).fill(OP_READ));
  });

  it('loop of the LIRS loop trace shape: 1011 pages, 505500 refs', () => {
    const t = generateTrace({ kind: 'loop', pages: 1011, refs: 505_500 });
    expect(t.distinct).toBe(1011);
    for (let i = 0; i < t.pages.length; i += 997) expect(t.pages[i]).toBe(i % 1011);
  });

  it('scan with the default run reads all pages in order, again and again', () => {
    expect([...generateTrace({ kind: 'scan', pages: 3, refs: 7 }).pages]).toEqual([
      0, 1, 2, 0, 1, 2, 0,
    ]);
    // refs defaults to one pass
    expect([...generateTrace({ kind: 'scan', pages: 5 }).pages]).toEqual([0, 1, 2, 3, 4]);
  });

  it('scan runs are sequential and stay within the pages', () => {
    const run = 16;
    const pages = 200;
    const t = generateTrace({ kind: 'scan', pages, run, refs: run * 500, seed: 8 });
    const starts = new Set<number>();
    for (let r = 0; r < 500; r++) {
      const s = t.pages[r * run];
      starts.add(s);
      expect(s).toBeLessThanOrEqual(pages - run);
      for (let i = 1; i < run; i++) expect(t.pages[r * run + i]).toBe(s + i);
    }
    expect(starts.size).toBeGreaterThan(100);
  });
});

describe('hot/cold', () => {
  it('sends hotFraction of the references to the hot pages (binomial error)', () => {
    const n = 500_000;
    const t = generateTrace({ kind: 'hotcold', hot: 100, cold: 9900, hotFraction: 0.8, refs: n });
    let hot = 0;
    let max = 0;
    for (const p of t.pages) {
      if (p < 100) hot++;
      if (p > max) max = p;
    }
    expect(Math.abs(hot - 0.8 * n)).toBeLessThan(binomialTolerance(n, 0.8));
    expect(max).toBeLessThan(10_000);
    expect(max).toBeGreaterThan(9_900);
  });

  it('hotFraction 1 never touches cold pages', () => {
    const t = generateTrace({ kind: 'hotcold', hot: 5, cold: 50, hotFraction: 1, refs: 10_000 });
    expect(Math.max(...t.pages)).toBeLessThan(5);
  });
});

describe('read/write mix', () => {
  it('writeFraction and fsyncRate within binomial error', () => {
    const n = 500_000;
    const t = generateTrace({
      kind: 'uniform',
      pages: 100,
      refs: n,
      writeFraction: 0.35,
      fsyncRate: 0.2,
    });
    const { writes, fsyncs } = countOps(t.ops);
    expect(Math.abs(writes - 0.35 * n)).toBeLessThan(binomialTolerance(n, 0.35));
    expect(Math.abs(fsyncs - 0.2 * writes)).toBeLessThan(binomialTolerance(writes, 0.2));
  });

  it('does not change the page stream', () => {
    const base = { kind: 'zipf', pages: 1000, refs: 10_000 } as const;
    const a = generateTrace(base);
    const b = generateTrace({ ...base, writeFraction: 0.5, fsyncRate: 0.5 });
    expect(sameArray(b.pages, a.pages)).toBe(true);
  });

  it('nested patterns inherit and override the op model', () => {
    const t = generateTrace({
      kind: 'phases',
      writeFraction: 1,
      phases: [
        { refs: 100, workload: { kind: 'loop', pages: 10 } },
        { refs: 100, workload: { kind: 'loop', pages: 10, writeFraction: 0 } },
        { refs: 100, workload: { kind: 'loop', pages: 10, fsyncRate: 1 } },
      ],
    });
    const ops = [...t.ops];
    expect(ops.slice(0, 100).every((o) => o === 1)).toBe(true);
    expect(ops.slice(100, 200).every((o) => o === 0)).toBe(true);
    expect(ops.slice(200).every((o) => o === 3)).toBe(true);
  });
});

describe('arrival times', () => {
  it('untimed without a rate', () => {
    expect(generateTrace({ kind: 'loop', pages: 3, refs: 5 }).times).toBeNull();
  });

  it('constant rate: time i / rate across chunks', () => {
    const t = generateTrace({ kind: 'loop', pages: 3, refs: 10, rate: 4 }, 3);
    expect([...(t.times ?? [])]).toEqual([...Array(10).keys()].map((i) => i / 4));
  });

  it('Poisson arrivals: increasing times with mean gap 1/rate', () => {
    const n = 200_000;
    const t = generateTrace({ kind: 'loop', pages: 3, refs: n, rate: 50, arrivals: 'poisson' });
    const times = t.times!;
    expect(times[0]).toBe(0);
    for (let i = 1; i < n; i += 1000) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    const meanGap = times[n - 1] / (n - 1);
    // Mean of n exponential gaps: sd = (1/rate)/sqrt(n).
    expect(Math.abs(meanGap - 1 / 50)).toBeLessThan((5 * (1 / 50)) / Math.sqrt(n));
  });
});

describe('offsets', () => {
  it('shift page ids', () => {
    const t = generateTrace({ kind: 'loop', pages: 3, refs: 4, offset: 100 });
    expect([...t.pages]).toEqual([100, 101, 102, 100]);
  });
});
