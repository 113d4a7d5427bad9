import { describe, expect, it } from 'vitest';
import {
  describeWorkload,
  parseWorkloadSpec,
  suggestKey,
  workloadSpecString,
} from '../../../main/engine/workload/spec.js';
import { ValidationError } from '../../../shared/schema/format.js';
import { WorkloadSpecSchema } from '../../../shared/schema/workload.js';

function errorOf(text: string): string {
  try {
    parseWorkloadSpec(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseWorkloadSpec: good specs', () => {
  it('zipf with all keys', () => {
    expect(parseWorkloadSpec('zipf:pages=100000,alpha=1.0,refs=1000000,seed=1')).toEqual({
      kind: 'zipf',
      pages: 100000,
      alpha: 1,
      scatter: false,
      offset: 0,
      refs: 1000000,
      seed: 1,
      arrivals: 'constant',
    });
  });

  it('defaults are filled', () => {
    const s = parseWorkloadSpec('uniform:pages=5000,refs=200000');
    expect(s).toMatchObject({ kind: 'uniform', pages: 5000, refs: 200000, seed: 1, offset: 0 });
    expect(s.rate).toBeUndefined();
  });

  it('presets, with the name first or as a key', () => {
    const expected = { kind: 'preset', preset: 'tpcc', pages: 20000, refs: 500000, seed: 3 };
    expect(parseWorkloadSpec('preset:tpcc,pages=20000,refs=500000,seed=3')).toMatchObject(expected);
    expect(parseWorkloadSpec('preset:preset=tpcc,pages=20000,refs=500000,seed=3')).toMatchObject(
      expected,
    );
  });

  it('loop, hotcold, scan and the common keys', () => {
    expect(parseWorkloadSpec('loop:pages=1011,refs=505500')).toMatchObject({ pages: 1011 });
    expect(
      parseWorkloadSpec('hotcold:hot=1000,cold=100000,hotFraction=0.9,refs=1000000'),
    ).toMatchObject({ hot: 1000, cold: 100000, hotFraction: 0.9 });
    expect(parseWorkloadSpec('scan:pages=64')).toMatchObject({ kind: 'scan', pages: 64 });
    expect(
      parseWorkloadSpec(
        'uniform:pages=10,refs=5,writeFraction=0.3,fsyncRate=0.1,rate=100,arrivals=poisson',
      ),
    ).toMatchObject({ writeFraction: 0.3, fsyncRate: 0.1, rate: 100, arrivals: 'poisson' });
  });

  it('numbers with separators and suffixes, booleans, spaces and a trailing comma', () => {
    expect(
      parseWorkloadSpec(' zipf : pages = 1_000k , refs=2M, scatter=yes, alpha=.5, '),
    ).toMatchObject({ pages: 1_000_000, refs: 2_000_000, scatter: true, alpha: 0.5 });
    expect(parseWorkloadSpec('uniform:pages=1e3,refs=1G')).toMatchObject({
      pages: 1000,
      refs: 1e9,
    });
  });

  it('workloadSpecString gives the spec back', () => {
    for (const text of [
      'zipf:pages=100000,alpha=1.2,refs=1000000,seed=7,scatter=true',
      'preset:tpch,pages=30000,refs=10000,rate=20,arrivals=poisson',
      'hotcold:hot=10,cold=20,refs=5,offset=3,writeFraction=0.5',
      'scan:pages=100,run=10',
    ]) {
      const spec = parseWorkloadSpec(text);
      const again = workloadSpecString(spec);
      expect(again).not.toBeNull();
      expect(parseWorkloadSpec(again!)).toEqual(spec);
    }
    expect(workloadSpecString(parseWorkloadSpec('zipf:pages=10,refs=5'))).toBe(
      'zipf:pages=10,alpha=1,refs=5,seed=1',
    );
  });
});

describe('parseWorkloadSpec: bad specs name the offending part', () => {
  it.each([
    ['', /workload spec "": empty \(expected KIND:key=value/],
    ['zipff:pages=1', /unknown workload kind "zipff" \(expected one of uniform, zipf, scan/],
    ['zipf:pages=-5,refs=10', /: pages: expected a positive integer, got -5$/],
    ['zipf:pages=abc,refs=10', /pages: expected a positive integer, got "abc"/],
    ['zipf:pages=10.5,refs=10', /pages: expected a positive integer, got 10.5/],
    [
      'zipf:pages=10,refs=10,alpha=0',
      /alpha: expected a number greater than 0 and at most 10, got 0/,
    ],
    [
      'zipf:pages=10,refs=10,alpah=2',
      /alpah: unknown key for zipf \(expected one of .*\); did you mean alpha\?/,
    ],
    ['zipf:pages=10,refs=10,scatter=maybe', /scatter: expected true or false, got "maybe"/],
    ['uniform:pages=10', /refs: missing \(expected an integer ≥ 0\)/],
    ['uniform:pages=10,refs=5,pages=3', /pages: given twice/],
    ['uniform:pages=10,refs=5,junk', /expected key=value, got "junk"/],
    [
      'uniform:pages=10,refs=5,writeFraction=1.5',
      /writeFraction: expected a number from 0 to 1, got 1.5/,
    ],
    [
      'uniform:pages=10,refs=5,arrivals=bursty',
      /arrivals: expected one of 'constant', 'poisson', got "bursty"/,
    ],
    ['uniform:pages=10,refs=5,rate=0', /rate: expected a positive number, got 0/],
    ['preset:tpcx,pages=10,refs=5', /preset: expected one of 'specweb', 'index-search', 'tpcc'/],
    ['preset:pages=10,refs=5', /preset: missing \(expected one of 'specweb'/],
    ['scan:pages=10,run=11', /run: expected a run of at most pages \(10\), got 11/],
    ['phases:refs=10', /phases workloads contain other workloads .* experiment file/],
    ['hotcold:hot=10,refs=5', /cold: missing \(expected a positive integer\)/],
  ])('%s', (text, pattern) => {
    expect(errorOf(text)).toMatch(pattern);
  });

  it('reports every problem, one per line', () => {
    const lines = errorOf('zipf:pages=-1,refs=-2,alpah=1').split('\n');
    expect(lines).toHaveLength(3);
    expect(
      lines.every((l) => l.startsWith('workload spec "zipf:pages=-1,refs=-2,alpah=1": ')),
    ).toBe(true);
  });

  it('suggestKey only suggests close keys', () => {
    expect(suggestKey('hotfraction', ['hot', 'hotFraction'])).toBe('hotFraction');
    expect(suggestKey('zzz', ['pages', 'refs'])).toBeUndefined();
  });
});

describe('describeWorkload', () => {
  it('says what the workload is in one line', () => {
    expect(describeWorkload(parseWorkloadSpec('zipf:pages=100,refs=1000,seed=2'))).toBe(
      'Zipf(α=1) over 100 pages; 1000 refs, seed 2, untimed',
    );
    expect(
      describeWorkload(
        parseWorkloadSpec('uniform:pages=10,refs=5,writeFraction=0.3,fsyncRate=0.1,rate=100'),
      ),
    ).toBe("uniform over 10 pages, 30% writes (10% of writes fsync'd); 5 refs, seed 1, 100 refs/s");
    expect(describeWorkload(parseWorkloadSpec('preset:tpcc,pages=20000,refs=10'))).toMatch(
      /^TPC-C-like OLTP \(preset tpcc\) over 20000 pages: data 18000 pages/,
    );
    const nested = WorkloadSpecSchema.parse({
      kind: 'phases',
      phases: [
        { refs: 10, workload: { kind: 'loop', pages: 3 } },
        { refs: 5, workload: { kind: 'hotcold', hot: 1, cold: 2, offset: 4 } },
      ],
    });
    expect(describeWorkload(nested)).toBe(
      '2 phases (cycling): [10 refs: loop over 3 pages], [5 refs: hot/cold: 90% of references to 1 hot pages, the rest to 2 cold pages, pages +4]; 15 refs, seed 1, untimed',
    );
  });
});
