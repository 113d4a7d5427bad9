import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WRITEBACK, type WritebackConfig } from '../../../main/engine/config.js';
import { DirtyFifo } from '../../../main/engine/guest/dirty-fifo.js';
import { GuestMemory, type GuestBacking } from '../../../main/engine/guest/guest-memory.js';
import { Writeback } from '../../../main/engine/guest/writeback.js';
import { LruPolicy } from '../../../main/engine/policy/lru.js';
import { OP_READ, OP_WRITE, OP_WRITE_FSYNC } from '../../../main/engine/trace/chunk.js';

/** A backing that records puts and never has the page. */
function recordingBacking(): GuestBacking & { puts: number[]; dirtyAtPut: boolean[] } {
  const b = {
    puts: [] as number[],
    dirtyAtPut: [] as boolean[],
    get: () => false,
    put: (p: number) => void b.puts.push(p),
    discard: () => undefined,
  };
  return b;
}

function guest(v: number, wb: Partial<WritebackConfig> = {}): GuestMemory {
  return new GuestMemory(new LruPolicy(v), { ...DEFAULT_WRITEBACK, ...wb }, recordingBacking());
}

describe('delayed writeback', () => {
  it('writes a page dirtied at t at the first flusher wake-up ≥ t + dirtyExpire', () => {
    const g = guest(10); // expire 30 s, wake every 5 s
    g.reference(0, OP_WRITE, 3.2, 0);
    g.reference(1, OP_READ, 34.99, 1);
    expect(g.writeback.isDirty(0)).toBe(true);
    expect(g.writebackWrites).toBe(0);
    g.reference(1, OP_READ, 35, 2);
    expect(g.writeback.isDirty(0)).toBe(false);
    expect(g.writebackWrites).toBe(1);
    expect(g.diskWrites).toBe(1);
  });

  it('writes at exactly t + dirtyExpire when that is a wake-up', () => {
    const g = guest(10);
    g.reference(0, OP_WRITE, 5, 0);
    g.reference(1, OP_READ, 34.5, 1);
    expect(g.writeback.isDirty(0)).toBe(true);
    g.reference(1, OP_READ, 35, 2);
    expect(g.writeback.isDirty(0)).toBe(false);
  });

  it('property: the write-back time is the first wake-up ≥ t + dirtyExpire', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (t4, e4, i4) => {
          // Quarter seconds: exact in binary floating point.
          const [t, expire, interval] = [t4 / 4, e4 / 4, i4 / 4];
          const wb = new Writeback({ mode: 'delayed', dirtyExpire: expire, interval });
          wb.advance(t);
          wb.markDirty(7, t);
          // Wake-ups are at k·interval, k ≥ 1; one at the very instant of the write ran before it.
          let k = Math.max(1, Math.ceil((t + expire) / interval));
          if (k * interval <= t) k = Math.floor(t / interval) + 1;
          const wake = k * interval;
          wb.advance(Math.max(t, wake - 0.125));
          if (wake - 0.125 >= t) expect(wb.isDirty(7)).toBe(true);
          wb.advance(wake);
          expect(wb.isDirty(7)).toBe(false);
          expect(wb.written).toBe(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a later write does not postpone write-back; a cleaned and re-dirtied page waits again', () => {
    const g = guest(10);
    g.reference(0, OP_WRITE, 1, 0);
    g.reference(0, OP_WRITE, 20, 1); // still dirty since t = 1
    g.reference(1, OP_READ, 31, 2); // wake-up at 35 not reached
    expect(g.writeback.isDirty(0)).toBe(true);
    g.reference(1, OP_READ, 35, 3);
    expect(g.writebackWrites).toBe(1);

    g.reference(2, OP_WRITE, 36, 4); // dirty since 36
    g.reference(2, OP_WRITE_FSYNC, 37, 5); // durable and clean now
    g.reference(2, OP_WRITE, 50, 6); // dirty since 50: the stale entry of t = 36 is skipped
    g.reference(1, OP_READ, 75, 7);
    expect(g.writeback.isDirty(2)).toBe(true);
    g.reference(1, OP_READ, 80, 8);
    expect(g.writeback.isDirty(2)).toBe(false);
    expect(g.writebackWrites).toBe(2);
    expect(g.syncWrites).toBe(1);
  });

  it('writes many pages in dirty order across a long idle gap', () => {
    const g = guest(1000, { dirtyExpire: 10, interval: 2 });
    for (let p = 0; p < 100; p++) g.reference(p, OP_WRITE, p * 0.25, p);
    g.reference(500, OP_READ, 30, 100); // wake-ups up to 30 write pages dirtied by 20
    expect(g.writebackWrites).toBe(81);
    expect(g.writeback.size).toBe(19);
    g.reference(500, OP_READ, 1e7, 101);
    expect(g.writebackWrites).toBe(100);
    expect(g.writeback.dirtyPages()).toEqual([]);
  });

  it('write-through writes every write at once and keeps pages clean', () => {
    const g = guest(4, { mode: 'write-through' });
    const ops = [OP_WRITE, OP_READ, OP_WRITE, OP_WRITE_FSYNC, OP_WRITE, OP_READ];
    ops.forEach((op, i) => g.reference(i % 6, op, i * 100, i));
    expect(g.diskWrites).toBe(4);
    expect(g.syncWrites).toBe(4);
    expect(g.writeback.size).toBe(0);
    expect(g.evictionWrites).toBe(0);
  });

  it('fsync in delayed mode is one immediate disk write and leaves the page clean', () => {
    const g = guest(4);
    g.reference(0, OP_WRITE, 0, 0);
    g.reference(0, OP_WRITE_FSYNC, 1, 1);
    expect(g.writeback.isDirty(0)).toBe(false);
    expect(g.diskWrites).toBe(1);
    g.reference(1, OP_READ, 100, 2);
    expect(g.diskWrites).toBe(1); // nothing left for the flusher
  });

  it('writes a dirty victim back before evicting it and hands the clean page to the cache', () => {
    const backing = recordingBacking();
    const g = new GuestMemory(new LruPolicy(1), DEFAULT_WRITEBACK, {
      get: backing.get,
      discard: backing.discard,
      put: (p) => {
        backing.dirtyAtPut.push(g.writeback.isDirty(p));
        backing.put(p);
      },
    });
    g.reference(0, OP_WRITE, 0, 0);
    g.reference(1, OP_READ, 1, 1);
    expect(g.evictionWrites).toBe(1);
    expect(backing.puts).toEqual([0]);
    expect(backing.dirtyAtPut).toEqual([false]);
    g.reference(2, OP_READ, 2, 2); // clean victim: no write
    expect(g.diskWrites).toBe(1);
    expect(g.diskReads).toBe(3);
  });

  it('a write to a zero-page guest memory goes to disk and the page to the cache', () => {
    const backing = recordingBacking();
    const g = new GuestMemory(new LruPolicy(0), DEFAULT_WRITEBACK, backing);
    g.reference(3, OP_WRITE, 0, 0);
    g.reference(3, OP_READ, 1, 1);
    expect(g.syncWrites).toBe(1);
    expect(backing.puts).toEqual([3, 3]);
    expect(g.writeback.size).toBe(0);
  });

  it('clamps times that go backwards', () => {
    const g = guest(10);
    g.reference(0, OP_WRITE, 100, 0);
    g.reference(1, OP_WRITE, 50, 1); // treated as t = 100
    g.reference(2, OP_READ, 130, 2);
    expect(g.writebackWrites).toBe(2);
  });

  it('rejects a non-positive flusher interval', () => {
    expect(() => new Writeback({ mode: 'delayed', dirtyExpire: 30, interval: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('DirtyFifo', () => {
  it('is a FIFO across growth and wrap-around', () => {
    const f = new DirtyFifo(16);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < round % 7; k++, next++) f.push(next, next * 2, next / 2);
      for (let k = 0; k < 3 && f.length > 0; k++) {
        expect(f.headGen()).toBe(f.headPage() * 2);
        expect(f.headTime()).toBe(f.headPage() / 2);
        out.push(f.headPage());
        f.shift();
      }
    }
    for (let i = 0; i < 200; i++, next++) f.push(next, 0, 0);
    while (f.length > 0) {
      out.push(f.headPage());
      f.shift();
    }
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});
