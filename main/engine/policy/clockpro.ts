import { growInt32, growUint8 } from '../util/grow.js';
import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const ABSENT = 0;
const HOT = 1;
const COLD = 2; // resident cold
const TEST = 3; // non-resident cold, in its test period

/**
 * CLOCK-Pro as the paper specifies it (Jiang, Chen & Zhang, "CLOCK-Pro: an effective improvement
 * of the CLOCK replacement", USENIX ATC 2005, §3). libCacheSim's ClockPro.c, which never evicts
 * once C cold pages are resident, is `clockpro-libcachesim`.
 *
 * One clock holds the resident hot and cold pages and the non-resident cold pages still in their
 * test period (at most m of them, m = memory in pages). A hit sets the page's reference bit. The
 * list head is just behind HAND_hot: faulted and re-referenced pages are placed there.
 * - Fault on a page not on the clock: it enters at the head as a resident cold page in its test
 *   period. Fault on a non-resident page in its test period: m_c += 1 (a re-reference in the test
 *   period) and it enters at the head as a hot page. Room is made first by HAND_cold.
 * - HAND_cold (on a fault with memory full) stops at resident cold pages: referenced and in its
 *   test period → hot (m_c += 1); referenced, not in test → a new test period; either way its bit
 *   clears and it moves to the head. Unreferenced → evicted; kept as a non-resident test page if
 *   it was in its test period (then HAND_test runs while there are over m of them), else dropped.
 * - HAND_hot runs while hot pages exceed m_h = m − m_c: a referenced hot page loses its bit, an
 *   unreferenced one turns cold (no test period); a cold page it passes ends its test period, and
 *   leaves the clock if non-resident (the paper: on behalf of HAND_test).
 * - HAND_test ends the test period of the cold page it meets (m_c −= 1) and removes it from the
 *   clock if non-resident.
 * m_c starts at m (as libCacheSim's init-ratio-cold=1) and stays in [1, m]. Each hand moves one
 * page per step; the loops re-check their condition after each step.
 */
export class ClockProPolicy implements PagePolicy {
  readonly name: PolicyName = 'clockpro';
  capacity: number;
  private readonly slots: PageSlots;
  private state: Uint8Array;
  private ref: Uint8Array;
  private test: Uint8Array;
  private next: Int32Array;
  private prev: Int32Array;
  private handHot = -1;
  private handCold = -1;
  private handTest = -1;
  private hot = 0;
  private cold = 0;
  private nonResident = 0;
  /** m_c, the target number of resident cold pages. */
  private coldTarget: number;

  constructor(capacity: number, pageSpace = 1024) {
    checkCapacity(capacity);
    this.capacity = capacity;
    this.coldTarget = capacity;
    this.slots = new PageSlots(pageSpace);
    const n = Math.max(16, pageSpace);
    this.state = new Uint8Array(n);
    this.ref = new Uint8Array(n);
    this.test = new Uint8Array(n);
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
  }

  get size(): number {
    return this.slots.size;
  }

  /** m_c (for tests and displays). */
  get coldAllocation(): number {
    return this.coldTarget;
  }

  /** Resident hot pages, resident cold pages, non-resident test pages. */
  get counts(): { hot: number; cold: number; nonResident: number } {
    return { hot: this.hot, cold: this.cold, nonResident: this.nonResident };
  }

  access(page: number, _index: number): boolean {
    if (!this.slots.has(page)) return false;
    this.ref[page] = 1;
    return true;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    if (page >= this.state.length) this.grow(page + 1);
    const wasTest = this.state[page] === TEST;
    if (wasTest) {
      // Re-referenced in its test period: m_c grows, the page comes back hot.
      this.coldTarget = Math.min(this.capacity, this.coldTarget + 1);
      this.unlink(page);
      this.nonResident--;
    }
    let victim = -1;
    if (this.hot + this.cold >= this.capacity) victim = this.evictOne();
    this.slots.take(page);
    this.ref[page] = 0;
    this.linkAtHead(page);
    if (wasTest) {
      this.state[page] = HOT;
      this.test[page] = 0;
      this.hot++;
      this.balanceHot();
    } else {
      this.state[page] = COLD;
      this.test[page] = 1;
      this.cold++;
    }
    return victim;
  }

  frameOf(page: number): number {
    return this.slots.frameOf(page);
  }

  /** Drops a resident page from memory and from the clock (no test period follows). */
  remove(page: number): boolean {
    if (!this.slots.has(page)) return false;
    if (this.state[page] === HOT) this.hot--;
    else this.cold--;
    this.unlink(page);
    this.state[page] = ABSENT;
    this.slots.release(page);
    return true;
  }

  /**
   * Shrinking: m = capacity, m_c clamped into [1, m], HAND_hot brings the hot pages within
   * m − m_c, then HAND_cold evicts as on faults until the pages fit, and HAND_test trims the
   * non-resident pages to m. Growing only raises m (m_c is kept).
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    this.capacity = capacity;
    this.coldTarget = Math.max(Math.min(1, capacity), Math.min(this.coldTarget, capacity));
    const out: number[] = [];
    this.balanceHot();
    while (this.hot + this.cold > capacity) out.push(this.evictOne());
    while (this.nonResident > capacity) this.stepTest();
    this.slots.renumber();
    return out;
  }

  /** HAND_cold until it evicts a page; returns the page. */
  private evictOne(): number {
    for (;;) {
      const e = this.handCold;
      if (this.state[e] !== COLD) {
        this.handCold = this.next[e];
        continue;
      }
      if (this.ref[e] === 1) {
        this.ref[e] = 0;
        const promote = this.test[e] === 1;
        this.moveToHead(e); // HAND_cold moves on to e's successor
        if (promote) {
          this.state[e] = HOT;
          this.test[e] = 0;
          this.cold--;
          this.hot++;
          this.coldTarget = Math.min(this.capacity, this.coldTarget + 1);
          this.balanceHot();
        } else {
          this.test[e] = 1;
        }
        continue;
      }
      this.cold--;
      this.slots.release(e);
      if (this.test[e] === 1) {
        this.state[e] = TEST;
        this.nonResident++;
        this.handCold = this.next[e];
        while (this.nonResident > this.capacity) this.stepTest();
      } else {
        this.unlink(e);
        this.state[e] = ABSENT;
      }
      return e;
    }
  }

  /** HAND_hot while the hot pages exceed m − m_c. */
  private balanceHot(): void {
    while (this.hot > this.capacity - this.coldTarget) {
      const e = this.handHot;
      const s = this.state[e];
      if (s === HOT) {
        if (this.ref[e] === 1) this.ref[e] = 0;
        else {
          this.state[e] = COLD;
          this.hot--;
          this.cold++;
        }
        this.handHot = this.next[e];
      } else if (this.test[e] === 1) this.endTest(e, true);
      else this.handHot = this.next[e];
    }
  }

  /** One step of HAND_test. */
  private stepTest(): void {
    const e = this.handTest;
    const s = this.state[e];
    if ((s === COLD || s === TEST) && this.test[e] === 1) this.endTest(e, false);
    else this.handTest = this.next[e];
  }

  /**
   * Ends e's test period without a re-reference (m_c −= 1); a non-resident e leaves the clock.
   * The hand on e (HAND_hot or HAND_test) moves past it.
   */
  private endTest(e: number, byHot: boolean): void {
    this.test[e] = 0;
    this.coldTarget = Math.max(Math.min(1, this.capacity), this.coldTarget - 1);
    if (this.state[e] === TEST) {
      this.unlink(e);
      this.state[e] = ABSENT;
      this.nonResident--;
    } else if (byHot) this.handHot = this.next[e];
    else this.handTest = this.next[e];
  }

  private moveToHead(e: number): void {
    this.unlink(e);
    this.linkAtHead(e);
  }

  /** Links e just behind HAND_hot (the list head); the first page gets all three hands. */
  private linkAtHead(e: number): void {
    const h = this.handHot;
    if (h < 0) {
      this.next[e] = this.prev[e] = e;
      this.handHot = this.handCold = this.handTest = e;
      return;
    }
    const p = this.prev[h];
    this.next[p] = e;
    this.prev[e] = p;
    this.next[e] = h;
    this.prev[h] = e;
  }

  /** Takes e off the clock; a hand on e moves to its successor. */
  private unlink(e: number): void {
    const n = this.next[e];
    if (n === e) {
      this.handHot = this.handCold = this.handTest = -1;
      return;
    }
    if (this.handHot === e) this.handHot = n;
    if (this.handCold === e) this.handCold = n;
    if (this.handTest === e) this.handTest = n;
    const p = this.prev[e];
    this.next[p] = n;
    this.prev[n] = p;
  }

  private grow(min: number): void {
    this.state = growUint8(this.state, min);
    const n = this.state.length;
    this.ref = growUint8(this.ref, n);
    this.test = growUint8(this.test, n);
    this.next = growInt32(this.next, n);
    this.prev = growInt32(this.prev, n);
  }
}
