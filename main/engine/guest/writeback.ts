import type { WritebackConfig } from '../config.js';
import { growInt32, growUint8 } from '../util/grow.js';
import { DirtyFifo } from './dirty-fifo.js';

/**
 * Dirty-page state of guest memory and the delayed-writeback flusher (DESIGN.md §2).
 *
 * The flusher wakes at every multiple of `interval` seconds of VM time (5, 10, 15, … s) and
 * writes back every page that has been dirty for at least `dirtyExpire` seconds: a page dirtied at
 * time t with no later writes is written at the first wake-up w ≥ t + dirtyExpire. (Linux says
 * "longer than"; the boundary case w = t + dirtyExpire is written here, which is what the tests
 * pin down.) Wake-ups run before references at the same instant, so with dirtyExpire = 0 a page
 * dirtied exactly at a wake-up waits for the next one.
 *
 * A FIFO of (page, generation, dirtySince) holds pages in the order they became dirty. Cleaning
 * a page (eviction, fsync) only clears its flag; becoming dirty again bumps its generation, so
 * the old FIFO entry is recognised as stale and skipped. Times must be non-decreasing (the guest
 * clamps them).
 *
 * Idle wake-ups are not simulated one by one: `advance` jumps straight to the first wake-up at
 * which the oldest dirty page is due, so a long idle gap costs O(pages written), not O(gap).
 */
export class Writeback {
  /** dirty[page] = 1 while the page is dirty in guest memory. */
  private dirty: Uint8Array = new Uint8Array(1024);
  /** gen[page] = how many times the page has become dirty (matches its live FIFO entry). */
  private gen: Int32Array = new Int32Array(1024);
  private readonly fifo = new DirtyFifo();
  private readonly interval: number;
  private readonly expire: number;
  /** Index k of the next wake-up at k·interval that has not been processed. */
  private nextWake = 1;
  /** nextWake·interval, cached for the fast path. */
  private nextWakeTime: number;
  private dirtyCount = 0;
  /** Pages written back by the flusher (a counter; the owner may reset it). */
  written = 0;

  constructor(config: WritebackConfig) {
    if (config.mode === 'delayed' && !(config.interval > 0))
      throw new RangeError(`writeback interval must be > 0, got ${config.interval}`);
    if (!(config.dirtyExpire >= 0))
      throw new RangeError(`dirtyExpire must be >= 0, got ${config.dirtyExpire}`);
    this.interval = config.interval;
    this.expire = config.dirtyExpire;
    this.nextWakeTime = this.interval;
  }

  /** Pages currently dirty. */
  get size(): number {
    return this.dirtyCount;
  }

  isDirty(page: number): boolean {
    return page < this.dirty.length && this.dirty[page] === 1;
  }

  /** Marks a page dirty at `time` unless it already is; returns whether it was clean. */
  markDirty(page: number, time: number): boolean {
    if (page >= this.dirty.length) {
      this.dirty = growUint8(this.dirty, page + 1);
      this.gen = growInt32(this.gen, page + 1);
    }
    if (this.dirty[page] === 1) return false;
    this.dirty[page] = 1;
    const g = ++this.gen[page];
    this.fifo.push(page, g, time);
    this.dirtyCount++;
    return true;
  }

  /** Makes a page clean (it was written to disk by someone else); returns whether it was dirty. */
  clean(page: number): boolean {
    if (page >= this.dirty.length || this.dirty[page] === 0) return false;
    this.dirty[page] = 0;
    this.dirtyCount--;
    return true;
  }

  /** Runs every flusher wake-up at or before `time`. */
  advance(time: number): void {
    if (time < this.nextWakeTime) return;
    const fifo = this.fifo;
    const interval = this.interval;
    while (true) {
      this.dropStale();
      if (fifo.length === 0) break;
      const due = fifo.headTime() + this.expire;
      let k = Math.max(this.nextWake, Math.ceil(due / interval));
      while (k * interval < due) k++;
      const wake = k * interval;
      if (wake > time) break;
      // Wake-up at `wake`: write back every page due by then.
      while (fifo.length > 0) {
        const page = fifo.headPage();
        if (this.dirty[page] === 1 && this.gen[page] === fifo.headGen()) {
          if (fifo.headTime() + this.expire > wake) break;
          this.dirty[page] = 0;
          this.dirtyCount--;
          this.written++;
        }
        fifo.shift();
      }
      this.nextWake = k + 1;
    }
    // The next wake-up strictly after `time`.
    let k = Math.max(this.nextWake, Math.floor(time / interval));
    while (k * interval <= time) k++;
    this.nextWake = k;
    this.nextWakeTime = k * interval;
  }

  /** Ids of the dirty pages (for crash recovery and tests). */
  dirtyPages(): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.dirty.length; p++) if (this.dirty[p] === 1) out.push(p);
    return out;
  }

  private dropStale(): void {
    const fifo = this.fifo;
    while (fifo.length > 0) {
      const page = fifo.headPage();
      if (this.dirty[page] === 1 && this.gen[page] === fifo.headGen()) return;
      fifo.shift();
    }
  }
}
