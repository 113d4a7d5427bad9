import fc from 'fast-check';
import { expect } from 'vitest';
import type { PagePolicy } from '../../../main/engine/policy/policy.js';

/** One step of a random workload: a reference, or a remove() of a page. */
export type Op = { kind: 'ref'; page: number } | { kind: 'remove'; page: number };

/** The part of PagePolicy the reference models implement (no frames). */
export interface Model {
  readonly size: number;
  access(page: number, index: number): boolean;
  insert(page: number, index: number): number;
  remove(page: number): boolean;
}

/** Small page universe (so there are hits), with a few large ids that force the maps to grow. */
export const pageArb = fc.integer({ min: 0, max: 15 }).map((k) => (k < 12 ? k : 1000 + k * 700));

/** Random workloads: uniform over a small universe, or phased (see phasedOpsArb). */
export function opsArb(removeWeight = 1): fc.Arbitrary<Op[]> {
  return fc.oneof(uniformOpsArb(removeWeight), phasedOpsArb(removeWeight));
}

export function uniformOpsArb(removeWeight = 1, maxLength = 300): fc.Arbitrary<Op[]> {
  return fc.array(
    fc.oneof(
      { weight: 12, arbitrary: pageArb.map((page): Op => ({ kind: 'ref', page })) },
      { weight: removeWeight, arbitrary: pageArb.map((page): Op => ({ kind: 'remove', page })) },
    ),
    { maxLength },
  );
}

/**
 * Workloads with locality that moves: segments that each reuse a small window of pages at a
 * random base (hot sets, loops, shifts), so adaptive policies see ghost hits of every kind.
 */
export function phasedOpsArb(removeWeight = 1): fc.Arbitrary<Op[]> {
  const step = fc.tuple(
    fc.integer({ min: 0, max: 7 }),
    fc.integer({ min: 0, max: 23 + removeWeight }),
  );
  const segment = fc.record({
    base: fc.integer({ min: 0, max: 24 }),
    steps: fc.array(step, { maxLength: 40 }),
  });
  return fc.array(segment, { maxLength: 12 }).map((segments) =>
    segments.flatMap(({ base, steps }) =>
      steps.map(([offset, kind]): Op => ({
        kind: kind < 24 ? 'ref' : 'remove',
        page: base + offset,
      })),
    ),
  );
}

export const capacityArb = fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 12 }));

/** Page of each reference, in order (the reference index is the position in this list). */
export function refPages(ops: Op[]): Int32Array {
  return Int32Array.from(ops.filter((o) => o.kind === 'ref').map((o) => o.page));
}

/**
 * Runs the ops against a policy or model the way the guest does (`if (!access) insert`) and logs
 * every outcome and the size after it: 'H' for a hit, 'M<victim>' for a miss, 'R<bool>' for a remove.
 */
export function run(p: Model, ops: Op[]): string[] {
  const log: string[] = [];
  let index = 0;
  for (const op of ops) {
    let outcome: string;
    if (op.kind === 'ref') {
      const i = index++;
      outcome = p.access(op.page, i) ? 'H' : `M${p.insert(op.page, i)}`;
    } else {
      outcome = `R${p.remove(op.page)}`;
    }
    log.push(`${outcome}/${p.size}`);
  }
  return log;
}

export function missesOf(log: string[]): number {
  return log.filter((s) => s.startsWith('M')).length;
}

/**
 * Runs both in lockstep and expects identical hit/miss/victim/remove logs and sizes; `compare`
 * (optional) checks internal state after every op.
 */
export function expectSameAsModel(
  fast: PagePolicy,
  model: Model,
  ops: Op[],
  compare?: () => void,
): void {
  const step = (p: Model, op: Op, index: number): string => {
    const outcome =
      op.kind === 'ref'
        ? p.access(op.page, index)
          ? 'H'
          : `M${p.insert(op.page, index)}`
        : `R${p.remove(op.page)}`;
    return `${outcome}/${p.size}`;
  };
  let index = 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    const got = step(fast, op, index);
    const want = step(model, op, index);
    if (op.kind === 'ref') index++;
    expect({ step: k, op, outcome: got }).toEqual({ step: k, op, outcome: want });
    compare?.();
  }
}

/** Every page id pageArb and phasedOpsArb can produce (for frame checks). */
export const UNIVERSE: number[] = [
  ...Array.from({ length: 32 }, (_, k) => k),
  ...Array.from({ length: 4 }, (_, k) => 1000 + (k + 12) * 700),
];

/**
 * Checks the frame invariants after every op: frames distinct and in range, count == size,
 * a page keeps its frame while resident, a newly inserted page takes the victim's frame (or a
 * free one), and access() hits exactly the pages that have a frame.
 */
export function expectFrameInvariants(p: PagePolicy, ops: Op[]): void {
  const frameOf = (): Map<number, number> => {
    const m = new Map<number, number>();
    for (const page of UNIVERSE) {
      const f = p.frameOf(page);
      if (f >= 0) m.set(page, f);
    }
    return m;
  };
  let before = frameOf();
  let index = 0;
  for (const op of ops) {
    const beforeFree = new Set<number>();
    const used = new Set(before.values());
    for (let f = 0; f < p.capacity; f++) if (!used.has(f)) beforeFree.add(f);
    let victim = -1;
    if (op.kind === 'ref') {
      const i = index++;
      const wasResident = before.has(op.page);
      const hit = p.access(op.page, i);
      expect(hit).toBe(wasResident);
      if (!hit) {
        victim = p.insert(op.page, i);
        if (p.capacity === 0) expect(victim).toBe(op.page);
        else if (victim >= 0) {
          expect(before.has(victim)).toBe(true);
          expect(p.frameOf(op.page)).toBe(before.get(victim));
        } else {
          expect(beforeFree.has(p.frameOf(op.page))).toBe(true);
        }
      }
    } else {
      expect(p.remove(op.page)).toBe(before.has(op.page));
    }
    const after = frameOf();
    const frames = [...after.values()];
    expect(new Set(frames).size).toBe(frames.length);
    for (const f of frames) expect(f >= 0 && f < p.capacity).toBe(true);
    expect(after.size).toBe(p.size);
    expect(p.size).toBeLessThanOrEqual(p.capacity);
    for (const [page, f] of after) if (before.has(page)) expect(f).toBe(before.get(page));
    for (const page of before.keys()) {
      if (!after.has(page))
        expect(page === victim || (op.kind === 'remove' && op.page === page)).toBe(true);
    }
    before = after;
  }
}
