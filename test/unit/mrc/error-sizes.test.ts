import { describe, expect, it } from 'vitest';
import { defaultSizes, parseSizeList } from '../../../main/engine/mrc/sizes.js';

describe('parseSizeList', () => {
  it('accepts lists, ranges and both mixed', () => {
    expect(parseSizeList('100,200,500')).toEqual([100, 200, 500]);
    expect(parseSizeList('1,2,100:1000:100')).toEqual([
      1, 2, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    ]);
    expect(parseSizeList(' 9 , 3 : 9 : 3 ')).toEqual([3, 6, 9]);
    expect(parseSizeList('2:10:4')).toEqual([2, 6, 10]);
    expect(parseSizeList('5,5,1:5:2')).toEqual([1, 3, 5]);
    expect(parseSizeList('7:7:1')).toEqual([7]);
  });

  it('rejects bad input naming the bad item', () => {
    const bad: [string, RegExp][] = [
      ['', /empty size list/],
      ['1,,2', /empty item/],
      ['1,abc', /"abc"/],
      ['1:2', /"1:2"/],
      ['1:2:3:4', /"1:2:3:4"/],
      ['1:10:0', /"1:10:0".*step/],
      ['10:1:1', /"10:1:1".*before/],
      ['-5', /"-5"/],
      ['1.5', /"1.5"/],
      ['4,1:x:1', /"1:x:1"/],
      ['99999999999999999999', /too large/],
      ['1:2000000:1', /more than/],
      ['0', /"0".*at least 1, got 0/],
      ['0:10:5', /"0:10:5".*at least 1/],
    ];
    for (const [text, msg] of bad) expect(() => parseSizeList(text), text).toThrow(msg);
  });
});

describe('defaultSizes', () => {
  it('spreads about 64 integer sizes log-spaced from 1 to the footprint', () => {
    const s = defaultSizes(100_000);
    expect(s).toHaveLength(64);
    expect(s[0]).toBe(1);
    expect(s[63]).toBe(100_000);
    for (let i = 1; i < s.length; i++) {
      expect(Number.isInteger(s[i])).toBe(true);
      expect(s[i]).toBeGreaterThan(s[i - 1]);
    }
    // Log-spaced: as many sizes in 1..316 as in 316..100000 (within rounding), and the ratio of
    // consecutive large sizes is about 100000^(1/63).
    const below = s.filter((x) => x <= 316).length;
    expect(Math.abs(below - (64 - below))).toBeLessThanOrEqual(6);
    const step = Math.exp(Math.log(100_000) / 63);
    expect(s[63] / s[62]).toBeCloseTo(step, 1);
    expect(s[40] / s[39]).toBeCloseTo(step, 1);
  });

  it('is every integer when the footprint has fewer than 64 pages', () => {
    expect(defaultSizes(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('merges the extra points, sorted and unique', () => {
    expect(defaultSizes(10, [12, 5, 3.6])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
    const s = defaultSizes(100_000, [4096, 6144, 8192, 1]);
    for (const v of [4096, 6144, 8192]) expect(s).toContain(v);
    expect(s.length).toBeGreaterThanOrEqual(64);
    expect(s.length).toBeLessThanOrEqual(67);
    expect(defaultSizes(0)).toEqual([1]);
  });
});
