/**
 * ESX as Waldspurger built it (OSDI 2002, §5.3): periods of VM time, and three averages — slow,
 * fast, and the fast one with the current period's samples — whose maximum rises quickly and
 * decays slowly.
 */
import { describe, expect, it } from 'vitest';
import { vmMemoryConfig, type EsxConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import type { EsxResult } from '../../../main/engine/mrc/esx.js';
import { chunksOf, type InMemoryTrace } from '../../../main/engine/trace/chunk.js';
import { Rng } from '../../../main/engine/util/rng.js';

/** Untimed phases of uniform access: [working-set pages, references]. */
function phases(list: [number, number][], seed: number): InMemoryTrace {
  const rng = new Rng(seed);
  const pages: number[] = [];
  for (const [k, n] of list) for (let i = 0; i < n; i++) pages.push(rng.int(k));
  return {
    pages: Int32Array.from(pages),
    ops: new Uint8Array(pages.length),
    times: null,
    distinct: Math.max(...list.map(([k]) => k)),
  };
}

function esxOf(
  trace: InMemoryTrace,
  allocation: number,
  esx: Partial<EsxConfig>,
  untimedRate = 1000,
): EsxResult {
  const config = vmMemoryConfig({
    guestPages: allocation - 2000,
    hypervisor: { pages: 2000 },
    untimedRate,
  });
  return simulateVmSync(config, chunksOf(trace, 4096), { recorders: { esx } }).esx!;
}

/** The estimate at every moment it changes: each update inside a period and each period end. */
function estimatesOver(esx: EsxResult, from: number, to: number): number[] {
  return [
    ...esx.updates.filter((u) => u.time > from && u.time <= to).map((u) => u.estimate),
    ...esx.periods.filter((p) => p.endTime > from && p.endTime <= to).map((p) => p.estimate),
  ];
}

/** The slow average recomputed from the periods' samples. */
function slowOf(esx: EsxResult, gain: number): number[] {
  const out: number[] = [];
  for (const p of esx.periods)
    out.push(
      out.length === 0 ? p.sampleEstimate : out.at(-1)! + gain * (p.sampleEstimate - out.at(-1)!),
    );
  return out;
}

describe('ESX periods are VM time', () => {
  it('an untimed stream at 1000 refs/s with 30 s periods ends periods at 30 s / 30,000 references', () => {
    const trace = phases([[500, 100_000]], 1);
    const esx = esxOf(trace, 4000, { periodSeconds: 30 }, 1000);
    expect(esx.periodMode).toBe('seconds');
    expect(esx.periodSeconds).toBe(30);
    expect(esx.periods.map((p) => p.endTime)).toEqual([30, 60, 90]);
    expect(esx.periods.map((p) => p.endRef)).toEqual([30_000, 60_000, 90_000]);
    expect(esx.periods.map((p) => p.references)).toEqual([30_000, 30_000, 30_000]);
    // Ten updates per period: the nine inside fall every 3 s = 3,000 references.
    const first = esx.updates.filter((u) => u.periodIndex === 0);
    expect(first.map((u) => u.time)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(first.map((u) => u.ref)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27].map((x) => x * 1000));
    // The rate sets VM time: at 500 refs/s a 30 s period holds 15,000 references.
    const slower = esxOf(trace, 4000, { periodSeconds: 30 }, 500);
    expect(slower.periods.map((p) => p.endRef).slice(0, 3)).toEqual([15_000, 30_000, 45_000]);
    // An explicit period in references overrides VM time.
    const byRefs = esxOf(trace, 4000, { periodSeconds: 30, periodRefs: 40_000 }, 1000);
    expect(byRefs.periodMode).toBe('refs');
    expect(byRefs.periods.map((p) => p.endRef)).toEqual([40_000, 80_000]);
  });
});

describe('ESX three averages', () => {
  // Working set 1,000 pages for 10 periods, then 6,000; allocation 8,000, n = 100.
  const A = 8000;
  const JUMP = 300; // s: the jump falls on a period boundary
  const jump = phases(
    [
      [1000, 300_000],
      [6000, 300_000],
    ],
    7,
  );

  it('the three-average estimate exceeds 5,000 within one period of a jump to 6,000; two averages do not', () => {
    const three = esxOf(jump, A, { samples: 100 });
    const two = esxOf(jump, A, { samples: 100, currentUpdates: 0 });
    expect(two.updates).toHaveLength(0);
    // Before the jump both estimate about 1,000.
    expect(three.periods[9].estimate).toBeLessThan(1500);
    expect(two.periods[9].estimate).toBeLessThan(1500);
    const threeAfter = estimatesOver(three, JUMP, JUMP + 30);
    const twoAfter = estimatesOver(two, JUMP, JUMP + 30);
    expect(twoAfter).toHaveLength(1); // the period end at 330 s
    expect(Math.max(...threeAfter)).toBeGreaterThan(5000);
    // It rises on the partial evidence of the period, before the period ends.
    const inside = three.updates.filter((u) => u.time > JUMP && u.time < JUMP + 30);
    expect(Math.max(...inside.map((u) => u.estimate))).toBeGreaterThan(5000);
    expect(Math.max(...twoAfter)).toBeLessThanOrEqual(5000);
    // Two averages get there too, only later.
    expect(two.finalEstimate).toBeGreaterThan(5000);
    // The third average is what carries the estimate: the slow and fast ones are the same in both.
    expect(three.periods.map((p) => p.fast)).toEqual(two.periods.map((p) => p.fast));
  });

  for (const slowGain of [0.1, 0.2]) {
    it(`after a shrink from 6,000 to 1,000 pages it decays no faster than the slow gain ${slowGain} allows`, () => {
      const shrink = phases(
        [
          [6000, 300_000],
          [1000, 900_000],
        ],
        11,
      );
      const esx = esxOf(shrink, A, { samples: 100, slowGain });
      const slow = slowOf(esx, slowGain);
      const before = slow[9]; // the slow average when the shrink happens (at 300 s)
      expect(before).toBeGreaterThan(5000);
      for (let k = 10; k < esx.periods.length; k++) {
        const p = esx.periods[k];
        const j = k - 9; // periods since the shrink
        // Samples are ≥ 0, so the slow average keeps at least (1 − g)^j of its value.
        expect(p.estimate).toBeGreaterThanOrEqual((1 - slowGain) ** j * before - 1e-9);
        expect(p.estimate).toBeGreaterThanOrEqual(slow[k] - 1e-9);
        // Between period ends, the estimate never drops below the last slow average either.
        for (const u of esx.updates.filter((x) => x.periodIndex === k))
          expect(u.estimate).toBeGreaterThanOrEqual(slow[k - 1] - 1e-9);
      }
      // It does decay: after the fast averages have fallen, the estimate is the slow one.
      expect(esx.periods[12].estimate).toBeLessThan(esx.periods[9].estimate);
      expect(esx.periods[20].estimate).toBeCloseTo(slow[20], 6);
      expect(esx.finalEstimate).toBeLessThan(before * (1 - slowGain) ** 15 + 1000);
    });
  }
});
