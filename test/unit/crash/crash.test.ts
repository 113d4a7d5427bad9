import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CRASH_STRATEGIES,
  checksumTime,
  evaluateCrashes,
  MemoryLogStore,
  recordTimeline,
  type CrashOptions,
  type CrashTimeline,
} from '../../../main/engine/crash/index.js';
import { GuestMemory } from '../../../main/engine/guest/guest-memory.js';
import { createPolicy } from '../../../main/engine/policy/create-policy.js';
import {
  OP_READ,
  OP_WRITE,
  OP_WRITE_FSYNC,
  type RefChunk,
} from '../../../main/engine/trace/chunk.js';
import { Rng } from '../../../main/engine/util/rng.js';
import { generateWorkload } from '../../../main/engine/workload/generate.js';
import { parseWorkloadSpec } from '../../../main/engine/workload/spec.js';

function options(o: Partial<CrashOptions> = {}): CrashOptions {
  return {
    strategies: CRASH_STRATEGIES,
    trials: 100,
    seed: 1,
    logFlushSeconds: 0.1,
    pCorrupt: 0,
    powerFailure: false,
    pageSize: 4096,
    log: new MemoryLogStore(),
    ...o,
  };
}

function timelineOf(
  spec: string,
  expire: number,
  interval: number,
  guestPages: number | null = null,
): Promise<CrashTimeline> {
  return recordTimeline(generateWorkload(parseWorkloadSpec(spec)), {
    guestPages,
    writeback: { dirtyExpire: expire, interval },
    untimedRate: 1000,
  });
}

function uniformTimes(seed: number, n: number, from: number, to: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => from + rng.next() * (to - from));
}

describe('crash model: os-delayed', () => {
  it('mean loss of a steady stream of distinct-page writes is r·(E + I/2)', async () => {
    // Derivation: a page written at t (each write to a new page, never written again) is
    // dirty until the first flusher wake-up w ≥ t + E; wake-ups are at multiples of I, so
    // w = t + E + U with U uniform on [0, I) for a crash time (hence t) uniform in the steady
    // state. A crash at c loses the writes with t ≤ c < t + E + U, i.e. the writes of the
    // last E + U seconds: E[lost] = r·E[E + U] = r·(E + I/2). Crash times are drawn after the
    // first E + I seconds (the steady state).
    const r = 100;
    const E = 5;
    const I = 2;
    const tl = await timelineOf(`scan:pages=100000,refs=20000,writeFraction=1,rate=${r}`, E, I);
    const res = evaluateCrashes(
      tl,
      options({
        strategies: ['os-delayed'],
        crashTimes: uniformTimes(7, 400, E + I, tl.endTime),
      }),
    );
    const s = res.strategies[0];
    const expected = r * (E + I / 2);
    console.log(
      `r(E+I/2): expected ${expected}, measured mean ${s.meanPagesLost.toFixed(2)}, ci95 [${s.ci95[0].toFixed(2)}, ${s.ci95[1].toFixed(2)}]`,
    );
    expect(s.ci95[0]).toBeLessThanOrEqual(expected);
    expect(s.ci95[1]).toBeGreaterThanOrEqual(expected);
    expect(s.maxPagesLost).toBeLessThanOrEqual(r * (E + I) + 1);
    expect(s.fsyncedLost).toBe(0);
  });

  it('r·(E + I/2) also holds for an untimed stream replayed at rate r', async () => {
    const r = 50;
    const E = 4;
    const I = 3;
    const tl = await recordTimeline(
      generateWorkload(parseWorkloadSpec('scan:pages=50000,refs=10000,writeFraction=1')),
      { guestPages: null, writeback: { dirtyExpire: E, interval: I }, untimedRate: r },
    );
    const s = evaluateCrashes(
      tl,
      options({
        strategies: ['os-delayed'],
        crashTimes: uniformTimes(11, 400, E + I, tl.endTime),
      }),
    ).strategies[0];
    const expected = r * (E + I / 2);
    console.log(
      `untimed r(E+I/2): expected ${expected}, measured mean ${s.meanPagesLost.toFixed(2)}, ci95 [${s.ci95[0].toFixed(2)}, ${s.ci95[1].toFixed(2)}]`,
    );
    expect(s.ci95[0]).toBeLessThanOrEqual(expected);
    expect(s.ci95[1]).toBeGreaterThanOrEqual(expected);
  });

  it('records the same disk writes as GuestMemory (same writeback semantics)', async () => {
    const spec = parseWorkloadSpec(
      'zipf:pages=3000,alpha=0.8,refs=30000,writeFraction=0.4,fsyncRate=0.1,rate=500',
    );
    const tl = await recordTimeline(generateWorkload(spec), {
      guestPages: 500,
      writeback: { dirtyExpire: 3, interval: 1 },
      untimedRate: 1000,
    });
    const guest = new GuestMemory(
      createPolicy('lru', 500),
      { mode: 'delayed', dirtyExpire: 3, interval: 1 },
      { get: () => false, put: () => undefined, discard: () => undefined },
    );
    let index = 0;
    for (const chunk of generateWorkload(spec))
      for (let i = 0; i < chunk.length; i++, index++)
        guest.reference(chunk.pages[i], chunk.ops[i], chunk.times?.[i] ?? 0, index);
    expect(tl.flusherWrites).toBe(guest.writebackWrites);
    expect(tl.evictionWrites).toBe(guest.evictionWrites);
    expect(tl.syncWrites).toBe(guest.syncWrites);
    expect(tl.fsyncWrites).toBe(guest.fsyncWrites);
    expect(tl.writeTimes.length).toBe(guest.writes);
  });
});

describe('crash model: hv-log and hv-rescue', () => {
  const E = 3;
  const I = 1;
  const spec = 'uniform:pages=5000,refs=20000,writeFraction=0.5,rate=1000';

  it('hv-log loses nothing on a guest crash; on a power failure exactly the writes after the last flush', async () => {
    const tl = await timelineOf(spec, E, I);
    const delta = 0.25;
    const crashTimes = uniformTimes(3, 100, 0, tl.endTime);
    const guest = evaluateCrashes(
      tl,
      options({ strategies: ['hv-log'], logFlushSeconds: delta, crashTimes }),
    );
    expect(guest.strategies[0].maxPagesLost).toBe(0);
    expect(guest.strategies[0].replay?.records).toBeGreaterThan(0);
    const power = evaluateCrashes(
      tl,
      options({ strategies: ['hv-log'], logFlushSeconds: delta, crashTimes, powerFailure: true }),
    );
    // No eviction, no fsync and E > Δ: the tail (writes in (floor(c/Δ)·Δ, c]) is still dirty.
    const tail = crashTimes.map((c) => {
      const lastFlush = Math.floor(c / delta) * delta;
      const pages = new Set<number>();
      for (let i = 0; i < tl.writeTimes.length; i++)
        if (tl.writeTimes[i] > lastFlush && tl.writeTimes[i] <= c) pages.add(tl.writePages[i]);
      return pages.size;
    });
    expect(power.strategies[0].lostPerTrial).toEqual(tail);
    expect(Math.max(...tail)).toBeGreaterThan(0);
  });

  it('hv-rescue: nothing lost with pCorrupt = 0; ≈ p·dirty damaged, detected or not', async () => {
    const tl = await timelineOf(spec, E, I);
    const crashTimes = uniformTimes(5, 200, 0, tl.endTime);
    const clean = evaluateCrashes(
      tl,
      options({ strategies: ['os-delayed', 'hv-rescue'], crashTimes }),
    );
    expect(clean.strategies[1].maxPagesLost).toBe(0);
    const p = 0.2;
    const r = evaluateCrashes(
      tl,
      options({ strategies: ['os-delayed', 'hv-rescue'], crashTimes, pCorrupt: p }),
    );
    const [os, rescue] = r.strategies;
    const dirtyTotal = os.lostPerTrial.reduce((a, b) => a + b, 0);
    const detectedTotal = rescue.detectedCorrupt * rescue.trials;
    const undetectedTotal = rescue.undetectedCorrupt * rescue.trials;
    // Binomial(dirtyTotal, p): within 4 standard deviations.
    const sd = Math.sqrt(dirtyTotal * p * (1 - p));
    expect(Math.abs(detectedTotal + undetectedTotal - p * dirtyTotal)).toBeLessThanOrEqual(4 * sd);
    expect(rescue.corruptWritten).toBeCloseTo(undetectedTotal, 6);
    expect(rescue.lostPerTrial.reduce((a, b) => a + b, 0)).toBeCloseTo(
      detectedTotal + undetectedTotal,
      6,
    );
    // Power failure: the hypervisor is down, hv-rescue loses what os-delayed loses.
    const pf = evaluateCrashes(
      tl,
      options({ strategies: ['os-delayed', 'hv-rescue'], crashTimes, powerFailure: true }),
    );
    expect(pf.strategies[1].lostPerTrial).toEqual(pf.strategies[0].lostPerTrial);
  });
});

describe('crash model: fsync', () => {
  it("no fsync'd write is lost by any strategy (random workloads and crash times)", async () => {
    const ref = fc.record({
      page: fc.integer({ min: 0, max: 40 }),
      op: fc.constantFrom(OP_READ, OP_WRITE, OP_WRITE_FSYNC),
      gap: fc.double({ min: 0, max: 2, noNaN: true }),
    });
    let sawLoss = false;
    let sawFsyncAtRisk = false;
    await fc.assert(
      fc.asyncProperty(
        fc.array(ref, { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (refs, fractions, guestPages, powerFailure, pCorrupt) => {
          const n = refs.length;
          const pages = new Int32Array(n);
          const ops = new Uint8Array(n);
          const times = new Float64Array(n);
          let t = 0;
          refs.forEach((r, i) => {
            t += r.gap;
            pages[i] = r.page;
            ops[i] = r.op;
            times[i] = t;
          });
          const chunk: RefChunk = { length: n, pages, ops, times };
          const tl = await recordTimeline([chunk], {
            guestPages,
            writeback: { dirtyExpire: 3, interval: 1.5 },
            untimedRate: 1,
          });
          const res = evaluateCrashes(
            tl,
            options({
              crashTimes: fractions.map((f) => tl.startTime + f * (tl.endTime - tl.startTime)),
              powerFailure,
              pCorrupt,
              logFlushSeconds: 0.7,
            }),
          );
          if (tl.fsyncWrites > 0 && tl.writeTimes.length > tl.fsyncWrites) sawFsyncAtRisk = true;
          for (const s of res.strategies) {
            if (s.maxPagesLost > 0) sawLoss = true;
            expect(s.fsyncedLost).toBe(0);
            if (s.name !== 'hv-rescue') expect(s.corruptWritten).toBe(0);
            if (s.name === 'write-through') expect(s.maxPagesLost).toBe(0);
            if (s.name === 'hv-log' && !powerFailure) expect(s.maxPagesLost).toBe(0);
          }
        },
      ),
      { numRuns: 150, seed: 42 },
    );
    // The property was exercised: pages with fsync'd and later plain writes, and real losses.
    expect(sawLoss).toBe(true);
    expect(sawFsyncAtRisk).toBe(true);
  });
});

describe('crash model: write-protect faults, checksums and costs', () => {
  // Page 0 written at 0.5 and 1.5 (one writeback interval of 5 s) and at 6.5 (the next one);
  // page 1 written with fsync at 2 and 3 (clean again after each). dirtyExpire 30: nothing is
  // flushed before t = 35.
  const chunk: RefChunk = {
    length: 5,
    pages: Int32Array.from([0, 0, 1, 1, 0]),
    ops: Uint8Array.from([OP_WRITE, OP_WRITE, OP_WRITE_FSYNC, OP_WRITE_FSYNC, OP_WRITE]),
    times: Float64Array.from([0.5, 1.5, 2, 3, 6.5]),
  };
  const record = () =>
    recordTimeline([chunk], {
      guestPages: null,
      writeback: { dirtyExpire: 30, interval: 5 },
      untimedRate: 1,
    });

  it('counts a fault for the first write to a clean page and per writeback interval', async () => {
    const tl = await record();
    // 0.5 (clean), 6.5 (new interval) for page 0; 2 and 3 (clean after each fsync) for page 1.
    expect(tl.wpFaults).toBe(4);
    // The checksum of page 0 (durable version 0, acknowledged 3) is taken at 6.5.
    expect(checksumTime(tl, 0, 0, 3)).toBe(6.5);
    expect(checksumTime(tl, 0, 0, 2)).toBe(0.5);
  });

  it('a wild write before the checksum goes undetected: (6.5 − 0.5)/(8 − 0.5) of them', async () => {
    const tl = await record();
    const n = 4000;
    const r = evaluateCrashes(
      tl,
      options({ strategies: ['hv-rescue'], crashTimes: Array(n).fill(8), pCorrupt: 1 }),
    );
    const s = r.strategies[0];
    const expected = (6.5 - 0.5) / (8 - 0.5);
    const sd = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(s.undetectedCorrupt - expected)).toBeLessThan(4 * sd);
    expect(s.undetectedCorrupt + s.detectedCorrupt).toBe(1);
    expect(s.undetectedCorrupt).toBeGreaterThan(0);
    expect(s.corruptWritten).toBe(Math.round(s.undetectedCorrupt * n));
    expect(s.meanPagesLost).toBe(1);
    expect(s.fsyncedLost).toBe(0);
  });

  it('a page dirtied within the last interval only: every wild write is detected', async () => {
    const tl = await record();
    // At 2.5 page 0 (written 0.5, 1.5) has its checksum at 0.5 = the start of its dirty period.
    const r = evaluateCrashes(
      tl,
      options({ strategies: ['hv-rescue'], crashTimes: Array(500).fill(2.5), pCorrupt: 1 }),
    );
    expect(r.strategies[0].undetectedCorrupt).toBe(0);
    expect(r.strategies[0].detectedCorrupt).toBe(1);
  });

  it('costs: faults, sequential log appends, random write-through writes; assumptions written', async () => {
    const tl = await record();
    const costs = { diskWriteUs: 4000, seqWriteUs: 50, wpFaultUs: 3 };
    const r = evaluateCrashes(tl, options({ crashTimes: [8], costs }));
    const by = new Map(r.strategies.map((s) => [s.name, s]));
    expect(by.get('hv-rescue')!.wpFaults).toBe(4);
    expect(by.get('hv-rescue')!.runtimeCostSeconds).toBeCloseTo((4 * 3) / 1e6, 12);
    // One page rescued after the crash: one random write.
    expect(by.get('hv-rescue')!.recoverySeconds).toBeCloseTo(4000 / 1e6, 12);
    // Five log records, appended sequentially.
    expect(by.get('hv-log')!.runtimeCostSeconds).toBeCloseTo((5 * 50) / 1e6, 12);
    // Write-through writes all 5 synchronously; the delayed guest wrote the 2 fsync'd ones.
    expect(by.get('write-through')!.runtimeCostSeconds).toBeCloseTo((3 * 4000) / 1e6, 12);
    expect(by.get('os-delayed')!.runtimeCostSeconds).toBe(0);
    expect(r.assumptions.join(' ')).toMatch(/write-protect fault/);
    expect(r.assumptions.join(' ')).toMatch(/wild write before it is covered by the checksum/);
    expect(r.assumptions.join(' ')).toMatch(/sequential/);
  });
});
