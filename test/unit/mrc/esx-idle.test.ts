/**
 * Lazy empty ESX periods (issue 11): a long idle gap decays the averages in closed form and keeps
 * one record, so it costs no memory; the averages equal the period-by-period recurrence.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESX } from '../../../main/engine/config.js';
import { ESX_IDLE_RECORDS, EsxSampler } from '../../../main/engine/mrc/esx.js';
import type { RefChunk } from '../../../main/engine/trace/chunk.js';

function chunk(pages: number[], times: number[]): RefChunk {
  return {
    length: pages.length,
    pages: Int32Array.from(pages),
    ops: new Uint8Array(pages.length),
    times: Float64Array.from(times),
  };
}

/** Busy for `busy` s at 10 refs/s over 40 pages, then one reference `gap` s later. */
function run(gap: number) {
  const config = { ...DEFAULT_ESX, periodSeconds: 30, samples: 20, seed: 7 };
  const esx = new EsxSampler(50, config, { policy: 'lru' });
  const pages: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < 1200; i++) {
    pages.push(i % 40);
    times.push(i / 10);
  }
  pages.push(3);
  times.push(120 + gap);
  pages.push(4);
  times.push(120 + gap + 1);
  esx.feed(chunk(pages, times));
  return { esx: esx.result(), config };
}

describe('ESX idle periods', () => {
  it('averages equal the period-by-period recurrence with empty periods filled in', () => {
    const { esx, config } = run(30 * 500 + 7);
    const last = esx.periods.at(-1)!;
    expect(esx.periods.length).toBeLessThan(last.periodIndex + 1); // some periods were skipped
    // Independent recurrence over every period index, touched = 0 where no record exists.
    const byIndex = new Map(esx.periods.map((p) => [p.periodIndex, p]));
    let fast = 0;
    let slow = 0;
    for (let k = 0; k <= last.periodIndex; k++) {
      const p = byIndex.get(k);
      const sample = p === undefined ? 0 : (p.touched / config.samples) * esx.allocation;
      if (k === 0) fast = slow = sample;
      else {
        fast += config.fastGain * (sample - fast);
        slow += config.slowGain * (sample - slow);
      }
      if (p !== undefined) {
        expect(p.fast).toBeCloseTo(fast, 9);
        expect(p.slow).toBeCloseTo(slow, 9);
      }
    }
  });

  it('a gap of 2^32 s (about 136 years) keeps a handful of records', () => {
    const { esx } = run(2 ** 32);
    expect(esx.periods.length).toBeLessThanOrEqual(ESX_IDLE_RECORDS + 6);
    expect(esx.periods.at(-1)!.periodIndex).toBe(Math.floor((120 + 2 ** 32) / 30) - 1);
    expect(esx.finalEstimate).toBeGreaterThanOrEqual(0);
  });
});
