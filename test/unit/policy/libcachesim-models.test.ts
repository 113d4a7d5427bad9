import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../../main/engine/policy/create-policy.js';
import type { PagePolicy, PolicyName } from '../../../main/engine/policy/policy.js';
import { type Op, opsArb, UNIVERSE } from './harness.js';

/**
 * Lockstep tests of the policies ported from libCacheSim (and of clockpro, CLOCK-Pro as its paper
 * describes it) against small models written out with plain arrays from the same descriptions: every hit, every victim
 * (including the extra victims of nextVictim) and the size after every step must agree.
 */
interface RefModel {
  readonly size: number;
  /** Hit or miss of a reference; victims evicted by it (LIRS may evict on a hit). */
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean };
  remove(page: number): boolean;
}

const drop = <T>(a: T[], x: T): T[] => a.filter((y) => y !== x);

class LfuModel implements RefModel {
  items: { page: number; freq: number; stamp: number }[] = [];
  clock = 0;
  constructor(readonly c: number) {}
  get size(): number {
    return this.items.length;
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    const it = this.items.find((x) => x.page === page);
    if (it) {
      it.freq++;
      it.stamp = this.clock++;
      return { hit: true, victims: [] };
    }
    if (this.c === 0) return { hit: false, victims: [], bypass: true };
    const victims: number[] = [];
    if (this.items.length >= this.c) {
      const v = [...this.items].sort((a, b) => a.freq - b.freq || a.stamp - b.stamp)[0];
      this.items = drop(this.items, v);
      victims.push(v.page);
    }
    this.items.push({ page, freq: 1, stamp: this.clock++ });
    return { hit: false, victims };
  }
  remove(page: number): boolean {
    const n = this.items.length;
    this.items = this.items.filter((x) => x.page !== page);
    return this.items.length < n;
  }
}

class TwoQModel implements RefModel {
  ain: number[] = [];
  am: number[] = [];
  aout: number[] = [];
  readonly kin: number;
  readonly kout: number;
  constructor(readonly c: number) {
    this.kin = Math.floor(c / 4);
    this.kout = Math.floor(c / 2);
  }
  get size(): number {
    return this.ain.length + this.am.length;
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    if (this.ain.includes(page)) return { hit: true, victims: [] };
    const ghost = this.aout.includes(page);
    this.aout = drop(this.aout, page);
    if (this.am.includes(page)) {
      this.am = [page, ...drop(this.am, page)];
      return { hit: true, victims: [] };
    }
    if (this.kin < 1) return { hit: false, victims: [], bypass: true };
    const victims: number[] = [];
    while (this.size + 1 > this.c) {
      if (this.ain.length > this.kin) {
        const old = this.ain.pop() as number;
        victims.push(old);
        if (this.kout >= 1) this.aout = [old, ...this.aout].slice(0, this.kout);
      } else victims.push(this.am.pop() as number);
    }
    if (ghost) {
      while (this.am.length + 1 > this.c - this.kin) victims.push(this.am.pop() as number);
      this.am.unshift(page);
    } else this.ain.unshift(page);
    return { hit: false, victims };
  }
  remove(page: number): boolean {
    const had = this.ain.includes(page) || this.am.includes(page);
    this.ain = drop(this.ain, page);
    this.am = drop(this.am, page);
    return had;
  }
}

class S3FifoModel implements RefModel {
  small: number[] = [];
  main: number[] = [];
  ghost: number[] = [];
  freq = new Map<number, number>();
  readonly ks: number;
  readonly kg: number;
  constructor(readonly c: number) {
    this.ks = Math.floor(c * 0.1);
    this.kg = Math.floor(c * 0.9);
  }
  get size(): number {
    return this.small.length + this.main.length;
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    if (this.small.includes(page) || this.main.includes(page)) {
      this.freq.set(page, (this.freq.get(page) ?? 0) + 1);
      return { hit: true, victims: [] };
    }
    const ghost = this.ghost.includes(page);
    if (!ghost && this.ks <= 1) return { hit: false, victims: [], bypass: true };
    this.ghost = drop(this.ghost, page);
    const victims: number[] = [];
    while (victims.length === 0 && this.size + 1 > this.c) {
      if (this.main.length > this.c - this.ks || this.small.length === 0) {
        for (;;) {
          const t = this.main.pop() as number;
          const f = this.freq.get(t) ?? 0;
          if (f >= 1) {
            this.freq.set(t, Math.min(f, 3) - 1);
            this.main.unshift(t);
          } else {
            victims.push(t);
            break;
          }
        }
      } else {
        while (this.small.length > 0) {
          const t = this.small.pop() as number;
          if ((this.freq.get(t) ?? 0) >= 2) {
            this.freq.set(t, 0);
            this.main.unshift(t);
          } else {
            if (this.kg > 0) this.ghost = [t, ...this.ghost].slice(0, this.kg);
            victims.push(t);
            break;
          }
        }
      }
    }
    this.freq.set(page, 0);
    if (ghost) this.main.unshift(page);
    else this.small.unshift(page);
    return { hit: false, victims };
  }
  remove(page: number): boolean {
    const had = this.small.includes(page) || this.main.includes(page);
    this.small = drop(this.small, page);
    this.main = drop(this.main, page);
    return had;
  }
}

class SieveModel implements RefModel {
  /** Newest first; the hand walks from the end (oldest) towards index 0. */
  q: number[] = [];
  visited = new Set<number>();
  hand: number | null = null;
  constructor(readonly c: number) {}
  get size(): number {
    return this.q.length;
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    if (this.q.includes(page)) {
      this.visited.add(page);
      return { hit: true, victims: [] };
    }
    if (this.c === 0) return { hit: false, victims: [], bypass: true };
    const victims: number[] = [];
    if (this.q.length >= this.c) {
      let i = this.hand === null ? this.q.length - 1 : this.q.indexOf(this.hand);
      while (this.visited.has(this.q[i])) {
        this.visited.delete(this.q[i]);
        i = i === 0 ? this.q.length - 1 : i - 1;
      }
      const v = this.q[i];
      this.hand = i === 0 ? null : this.q[i - 1];
      this.q.splice(i, 1);
      victims.push(v);
    }
    this.visited.delete(page);
    this.q.unshift(page);
    return { hit: false, victims };
  }
  remove(page: number): boolean {
    const i = this.q.indexOf(page);
    if (i < 0) return false;
    if (this.hand === page) this.hand = i === 0 ? null : this.q[i - 1];
    this.q.splice(i, 1);
    this.visited.delete(page);
    return true;
  }
}

/** libCacheSim's ClockPro.c: admits while fewer than C pages are resident, then never evicts. */
class ClockProLibCacheSimModel implements RefModel {
  pages = new Set<number>();
  constructor(readonly c: number) {}
  get size(): number {
    return this.pages.size;
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    if (this.pages.has(page)) return { hit: true, victims: [] };
    if (this.pages.size + 1 > this.c) return { hit: false, victims: [], bypass: true };
    this.pages.add(page);
    return { hit: false, victims: [] };
  }
  remove(page: number): boolean {
    return this.pages.delete(page);
  }
}

/**
 * CLOCK-Pro as the ATC 2005 paper (§3) describes it, on a plain array in clock order with the
 * three hands as entries: `test` entries are non-resident cold pages in their test period. Each
 * rule is one branch below, in the paper's words.
 */
type ProEntry = { page: number; kind: 'hot' | 'cold' | 'test'; ref: boolean; test: boolean };
class ClockProPaperModel implements RefModel {
  clock: ProEntry[] = [];
  hands: { hot: ProEntry | null; cold: ProEntry | null; test: ProEntry | null } = {
    hot: null,
    cold: null,
    test: null,
  };
  mc: number;
  constructor(readonly m: number) {
    this.mc = m; // m_c starts at m
  }
  get size(): number {
    return this.clock.filter((e) => e.kind !== 'test').length;
  }
  count(kind: ProEntry['kind']): number {
    return this.clock.filter((e) => e.kind === kind).length;
  }
  succ(e: ProEntry): ProEntry {
    return this.clock[(this.clock.indexOf(e) + 1) % this.clock.length];
  }
  /** Off the clock; a hand on it moves to its successor. */
  take(e: ProEntry): void {
    const s = this.clock.length === 1 ? null : this.succ(e);
    for (const h of ['hot', 'cold', 'test'] as const) if (this.hands[h] === e) this.hands[h] = s;
    this.clock.splice(this.clock.indexOf(e), 1);
  }
  /** At the list head: just behind HAND_hot. */
  putAtHead(e: ProEntry): void {
    if (this.hands.hot === null) {
      this.clock = [e];
      this.hands = { hot: e, cold: e, test: e };
    } else this.clock.splice(this.clock.indexOf(this.hands.hot), 0, e);
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    const e = this.clock.find((x) => x.page === page);
    if (e !== undefined && e.kind !== 'test') {
      e.ref = true;
      return { hit: true, victims: [] };
    }
    if (this.m === 0) return { hit: false, victims: [], bypass: true };
    const victims: number[] = [];
    if (e !== undefined) {
      // A non-resident page re-referenced in its test period: m_c + 1, and it comes back hot.
      this.mc = Math.min(this.m, this.mc + 1);
      this.take(e);
      if (this.size >= this.m) victims.push(this.runCold());
      this.putAtHead({ page, kind: 'hot', ref: false, test: false });
      this.runHot();
    } else {
      // A new page: resident cold at the head, in its test period.
      if (this.size >= this.m) victims.push(this.runCold());
      this.putAtHead({ page, kind: 'cold', ref: false, test: true });
    }
    return { hit: false, victims };
  }
  /** HAND_cold until a resident cold page is replaced. */
  runCold(): number {
    for (;;) {
      const e = this.hands.cold as ProEntry;
      if (e.kind !== 'cold') {
        this.hands.cold = this.succ(e);
        continue;
      }
      if (e.ref) {
        // Referenced: in its test period → hot (and HAND_hot acts); else a new test period.
        // Either way the bit is reset and the page moves to the list head.
        e.ref = false;
        const inTest = e.test;
        this.take(e);
        this.putAtHead(e);
        if (inTest) {
          e.kind = 'hot';
          e.test = false;
          this.mc = Math.min(this.m, this.mc + 1);
          this.runHot();
        } else e.test = true;
        continue;
      }
      // Unreferenced: replaced; stays as a non-resident page if in its test period.
      if (e.test) {
        e.kind = 'test';
        this.hands.cold = this.succ(e);
        while (this.count('test') > this.m) this.runTest();
      } else this.take(e);
      return e.page;
    }
  }
  /** HAND_hot while hot pages exceed m − m_c. */
  runHot(): void {
    while (this.count('hot') > this.m - this.mc) {
      const e = this.hands.hot as ProEntry;
      if (e.kind === 'hot') {
        if (e.ref) e.ref = false;
        else e.kind = 'cold'; // unreferenced hot page turns cold
        this.hands.hot = this.succ(e);
      } else if (e.test) this.endTest(e, 'hot');
      else this.hands.hot = this.succ(e);
    }
  }
  /** One step of HAND_test. */
  runTest(): void {
    const e = this.hands.test as ProEntry;
    if (e.kind !== 'hot' && e.test) this.endTest(e, 'test');
    else this.hands.test = this.succ(e);
  }
  /** A test period ends without a re-reference: m_c − 1; a non-resident page leaves. */
  endTest(e: ProEntry, hand: 'hot' | 'test'): void {
    e.test = false;
    this.mc = Math.max(Math.min(1, this.m), this.mc - 1);
    if (e.kind === 'test') this.take(e);
    else this.hands[hand] = this.succ(e);
  }
  remove(page: number): boolean {
    const e = this.clock.find((x) => x.page === page);
    if (e === undefined || e.kind === 'test') return false;
    this.take(e);
    return true;
  }
}

/** libCacheSim's LIRS flow (LIRS_find / can_insert / evict / insert / limitStack) on arrays. */
class LirsModel implements RefModel {
  s: { page: number; lir: boolean; res: boolean }[] = []; // most recent first
  q: number[] = []; // most recent first
  nh: number[] = []; // most recent first
  lirs = 0;
  hirs = 0;
  readonly hl: number;
  readonly ll: number;
  victims: number[] = [];
  constructor(readonly c: number) {
    this.hl = Math.max(1, Math.floor(0.01 * c));
    this.ll = c - this.hl;
  }
  private hittable(p: number): boolean {
    const e = this.s.find((x) => x.page === p);
    return this.q.includes(p) || (e !== undefined && (e.lir || e.res));
  }
  private resident(): Set<number> {
    const out = new Set(this.q);
    for (const e of this.s) if (e.lir || e.res) out.add(e.page);
    return out;
  }
  get size(): number {
    return this.resident().size;
  }
  private toFront(p: number): void {
    const e = this.s.find((x) => x.page === p);
    if (e) this.s = [e, ...drop(this.s, e)];
  }
  private prune(): void {
    while (this.s.length > 1 && !this.s[this.s.length - 1].lir) {
      const t = this.s.pop() as { page: number; lir: boolean; res: boolean };
      if (!t.res) this.nh = drop(this.nh, t.page);
    }
  }
  private evictHir(): void {
    const t = this.q.pop() as number;
    this.hirs--;
    const e = this.s.find((x) => x.page === t);
    if (e) {
      e.res = false;
      this.nh = [t, ...drop(this.nh, t)];
    }
  }
  private evictLir(): void {
    const t = this.s.pop() as { page: number; lir: boolean; res: boolean };
    this.lirs--;
    while (this.hirs + 1 > this.hl) this.evictHir();
    this.q = [t.page, ...drop(this.q, t.page)];
    this.hirs++;
    this.prune();
  }
  private limit(): void {
    while (this.s.length > 2 * this.c && this.nh.length > 0) {
      const t = this.nh.pop() as number;
      this.s = this.s.filter((x) => x.page !== t);
    }
  }
  ref(page: number): { hit: boolean; victims: number[]; bypass?: boolean } {
    const before = this.resident();
    const inQ = this.q.includes(page);
    const e = this.s.find((x) => x.page === page);
    if (e) this.toFront(page);
    if (inQ) this.q = [page, ...drop(this.q, page)];
    let hit = false;
    let bypass = false;
    if (e && e.lir) {
      hit = true;
      this.prune();
    } else if (e && e.res) {
      hit = true;
      if (inQ) {
        this.hirs--;
        this.q = drop(this.q, page);
      }
      while (this.lirs + 1 > this.ll) this.evictLir();
      e.lir = true;
      this.lirs++;
    } else if (!e && inQ) {
      hit = true;
      while (this.lirs + 1 > this.ll) this.evictLir();
      this.s.unshift({ page, lir: false, res: true });
    } else if (this.c === 0 || this.ll < 1) {
      bypass = true;
    } else if (e) {
      while (this.lirs + 1 > this.ll) this.evictLir();
      this.nh = drop(this.nh, page);
      while (this.lirs + this.hirs + 1 > this.c) {
        while (this.hirs >= this.hl) this.evictHir();
        this.evictLir();
      }
      e.lir = true;
      e.res = true;
      this.lirs++;
    } else {
      if (this.lirs + 1 > this.ll && this.hirs + 1 > this.hl)
        while (this.hirs + 1 > this.hl) this.evictHir();
      if (this.lirs + 1 <= this.ll) {
        this.s.unshift({ page, lir: true, res: true });
        this.lirs++;
      } else {
        this.s.unshift({ page, lir: false, res: true });
        this.q.unshift(page);
        this.hirs++;
      }
    }
    this.limit();
    const after = this.resident();
    const victims = [...before].filter((p) => !after.has(p));
    return { hit, victims, bypass };
  }
  remove(page: number): boolean {
    if (!this.hittable(page)) return false;
    const e = this.s.find((x) => x.page === page);
    const inQ = this.q.includes(page);
    if (e) {
      this.s = drop(this.s, e);
      if (e.lir) {
        this.lirs--;
        this.prune();
      } else if (inQ) {
        this.hirs--;
        this.q = drop(this.q, page);
      }
    } else {
      this.hirs--;
      this.q = drop(this.q, page);
    }
    return true;
  }
}

function step(p: PagePolicy, op: Op, index: number): string {
  if (op.kind === 'remove') return `R${p.remove(op.page)}/${p.size}`;
  const victims: number[] = [];
  const drain = (): void => {
    for (let v = p.nextVictim?.() ?? -1; v >= 0; v = p.nextVictim?.() ?? -1) victims.push(v);
  };
  if (p.access(op.page, index)) {
    drain();
    return `H[${victims.sort((a, b) => a - b).join(',')}]/${p.size}`;
  }
  const v = p.insert(op.page, index);
  if (v === op.page) return `B/${p.size}`;
  if (v >= 0) victims.push(v);
  drain();
  return `M[${victims.sort((a, b) => a - b).join(',')}]/${p.size}`;
}

function modelStep(m: RefModel, op: Op): string {
  if (op.kind === 'remove') return `R${m.remove(op.page)}/${m.size}`;
  const r = m.ref(op.page);
  if (r.bypass) return `B/${m.size}`;
  return `${r.hit ? 'H' : 'M'}[${r.victims.sort((a, b) => a - b).join(',')}]/${m.size}`;
}

const MODELS: [PolicyName, (c: number) => RefModel][] = [
  ['lfu', (c) => new LfuModel(c)],
  ['2q', (c) => new TwoQModel(c)],
  ['s3fifo', (c) => new S3FifoModel(c)],
  ['sieve', (c) => new SieveModel(c)],
  ['clockpro', (c) => new ClockProPaperModel(c)],
  ['clockpro-libcachesim', (c) => new ClockProLibCacheSimModel(c)],
  ['lirs', (c) => new LirsModel(c)],
];

/** Capacities around each policy's thresholds (2q: 4, s3fifo: 20, lirs: 200 for a 2-page Q). */
const capArb = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 18, max: 30 }));

describe.each(MODELS)(
  '%s against its array model (lockstep: hits, victims, sizes)',
  (name, make) => {
    it('agrees on random workloads', () => {
      fc.assert(
        fc.property(capArb, opsArb(), (c, ops) => {
          const p = createPolicy(name, c);
          const m = make(c);
          let index = 0;
          ops.forEach((op, k) => {
            const got = step(p, op, index);
            const want = modelStep(m, op);
            if (op.kind === 'ref') index++;
            expect({ k, op, got }).toEqual({ k, op, got: want });
          });
        }),
        { numRuns: 300 },
      );
    });

    it('keeps frames distinct, stable while resident, and within capacity (lirs: see its note)', () => {
      fc.assert(
        fc.property(capArb, opsArb(), (c, ops) => {
          const p = createPolicy(name, c);
          let before = new Map<number, number>();
          let index = 0;
          for (const op of ops) {
            step(p, op, op.kind === 'ref' ? index++ : index);
            const after = new Map<number, number>();
            for (const page of UNIVERSE) if (p.frameOf(page) >= 0) after.set(page, p.frameOf(page));
            expect(new Set(after.values()).size).toBe(after.size);
            expect(after.size).toBe(p.size);
            if (name !== 'lirs') for (const f of after.values()) expect(f).toBeLessThan(c);
            for (const [page, f] of after) if (before.has(page)) expect(f).toBe(before.get(page));
            before = after;
          }
        }),
        { numRuns: 200 },
      );
    });

    it('agrees on a long skewed workload at larger sizes', () => {
      for (const c of [50, 128, 230]) {
        let x = 12345;
        const p = createPolicy(name, c);
        const m = make(c);
        for (let i = 0; i < 4000; i++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          const page = x % 7 === 0 ? (x >>> 8) % 2000 : (x >>> 8) % 300;
          const got = step(p, { kind: 'ref', page }, i);
          expect({ i, got }).toEqual({ i, got: modelStep(m, { kind: 'ref', page }) });
        }
      }
    });
  },
);
