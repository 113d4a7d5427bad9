import { describe, expect, it } from 'vitest';
import { generateTrace } from '../../../main/engine/workload/generate.js';
import { PRESETS } from '../../../main/engine/workload/presets.js';
import { PRESET_NAMES } from '../../../shared/schema/workload.js';
import { countOps, sameArray } from './stats.js';

describe('presets', () => {
  it('every preset name has a preset with a rationale and parameters', () => {
    for (const name of PRESET_NAMES) {
      expect(PRESETS[name].name).toBe(name);
      expect(PRESETS[name].rationale.length).toBeGreaterThan(80);
      expect(PRESETS[name].parameters.length).toBeGreaterThan(10);
      expect(PRESETS[name].describe(10_000).length).toBeGreaterThan(5);
    }
  });

  it.each(PRESET_NAMES)('%s generates the requested refs with ids < pages', (preset) => {
    for (const [pages, refs] of [
      [20_000, 100_000],
      [1, 50],
      [2, 50],
      [3, 50],
      [37, 1000],
    ]) {
      const t = generateTrace({ kind: 'preset', preset, pages, refs, seed: 3 });
      expect(t.pages.length).toBe(refs);
      expect(Math.min(...t.pages)).toBeGreaterThanOrEqual(0);
      expect(t.distinct).toBeLessThanOrEqual(pages);
    }
  });

  it.each(PRESET_NAMES)('%s is deterministic by seed', (preset) => {
    const spec = { kind: 'preset', preset, pages: 5000, refs: 20_000 } as const;
    const a = generateTrace({ ...spec, seed: 9 });
    const b = generateTrace({ ...spec, seed: 9 });
    expect(sameArray(a.pages, b.pages) && sameArray(a.ops, b.ops)).toBe(true);
    if (preset !== 'micro-loop')
      expect(sameArray(a.pages, generateTrace({ ...spec, seed: 10 }).pages)).toBe(false);
  });

  it('an offset shifts a preset', () => {
    const t = generateTrace({ kind: 'preset', preset: 'tpcc', pages: 1000, refs: 5000, offset: 7 });
    expect(Math.min(...t.pages)).toBeGreaterThanOrEqual(7);
    expect(t.distinct).toBeLessThanOrEqual(1007);
  });

  it('tpcc: about 38% writes, fsync on commit', () => {
    const n = 200_000;
    const t = generateTrace({ kind: 'preset', preset: 'tpcc', pages: 20_000, refs: n });
    const { writes, fsyncs } = countOps(t.ops);
    expect(writes / n).toBeGreaterThan(0.3);
    expect(writes / n).toBeLessThan(0.4);
    expect(fsyncs / writes).toBeGreaterThan(0.1);
    expect(fsyncs / writes).toBeLessThan(0.2);
    // fsync'd writes go to the log, the first 1% of pages.
    let outsideLog = 0;
    for (let i = 0; i < n; i++) if ((t.ops[i] & 2) !== 0 && t.pages[i] >= 200) outsideLog++;
    expect(outsideLog).toBe(0);
  });

  it('tpcc: user writeFraction/fsyncRate replace the preset op model', () => {
    const t = generateTrace({
      kind: 'preset',
      preset: 'tpcc',
      pages: 2000,
      refs: 10_000,
      writeFraction: 0,
    });
    expect(countOps(t.ops).writes).toBe(0);
  });

  it('specweb: read-mostly, whole files read sequentially', () => {
    const n = 200_000;
    const t = generateTrace({ kind: 'preset', preset: 'specweb', pages: 20_000, refs: n });
    const { writes } = countOps(t.ops);
    expect(writes / n).toBeGreaterThan(0.001);
    expect(writes / n).toBeLessThan(0.05);
    let sequential = 0;
    for (let i = 1; i < n; i++) if (t.pages[i] === t.pages[i - 1] + 1) sequential++;
    expect(sequential / n).toBeGreaterThan(0.5);
  });

  it('index-search and tpch are read-only; micro presets are read-only', () => {
    for (const preset of [
      'index-search',
      'tpch',
      'micro-loop',
      'micro-random',
      'micro-scan',
    ] as const) {
      const t = generateTrace({ kind: 'preset', preset, pages: 5000, refs: 20_000 });
      expect(countOps(t.ops).writes).toBe(0);
    }
  });

  it('tpch: a small hot set gets a small share of references, tables are scanned in order', () => {
    const n = 300_000;
    const t = generateTrace({ kind: 'preset', preset: 'tpch', pages: 20_000, refs: n });
    let hot = 0;
    for (const p of t.pages) if (p < 1000) hot++;
    expect(hot / n).toBeGreaterThan(0.05);
    expect(hot / n).toBeLessThan(0.15);
    let sequential = 0;
    for (let i = 1; i < n; i++) if (t.pages[i] === t.pages[i - 1] + 1) sequential++;
    expect(sequential / n).toBeGreaterThan(0.7);
  });

  it('micro-loop is a loop over the footprint', () => {
    const t = generateTrace({ kind: 'preset', preset: 'micro-loop', pages: 7, refs: 15 });
    expect([...t.pages]).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0]);
  });
});
