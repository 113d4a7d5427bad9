import type { WritebackConfig } from '../config.js';
import type { PagePolicy } from '../policy/policy.js';
import { OP_FSYNC_BIT, OP_FULL_PAGE_BIT, OP_WRITE_BIT } from '../trace/chunk.js';
import { Writeback } from './writeback.js';

/**
 * Where guest misses go and guest evictions come from: the hypervisor exclusive cache (which
 * falls through to disk). Implemented by {@link ExclusiveCache}.
 */
export interface GuestBacking {
  /** A guest miss: returns true when the hypervisor cache supplied the page, false for a disk read. */
  get(page: number): boolean;
  /** The guest evicted a clean page. */
  put(page: number): void;
  /**
   * A guest miss that needs no data: a full-page write allocates the page without reading it.
   * The guest tells the backing (no I/O) so that a cached copy is dropped (exclusivity).
   */
  discard(page: number): void;
}

/**
 * Guest memory of V pages (DESIGN.md §2): a page replacement policy, dirty pages and writeback.
 *
 * Per reference (page, op, time):
 * 1. the delayed-writeback flusher runs every wake-up up to `time`;
 * 2. a hit updates the policy; a write dirties the page;
 * 3. a miss (read, or partial write: write-allocate) is fetched from the backing — hypervisor
 *    cache first, else disk — and only THEN inserted into the policy; a full-page write miss
 *    reads nothing (the backing is told to discard any copy); a dirty victim is written back
 *    first and the now clean victim is handed to the backing (`put`). Fetching before putting
 *    matters: otherwise a full cache could evict the very page being fetched.
 *
 * Write-through: every write costs a disk write at once and pages stay clean. An fsync'd write in
 * delayed mode: the write is made durable at once (one disk write) and the page is clean.
 *
 * Counters are plain fields; the owner resets them at the end of warm-up. Times are clamped to
 * be non-decreasing (the flusher needs a monotone clock).
 */
export class GuestMemory {
  readonly writeback: Writeback;
  private readonly writeThrough: boolean;
  private now = 0;

  references = 0;
  reads = 0;
  /** Write references, including fsync'd ones. */
  writes = 0;
  fsyncWrites = 0;
  hits = 0;
  misses = 0;
  /** Misses supplied by the hypervisor cache. */
  hvHits = 0;
  /** Misses read from disk. */
  diskReads = 0;
  /** Write references that replace the whole page (fsync'd ones included). */
  fullPageWrites = 0;
  /** Misses of full-page writes: no read from the hypervisor cache or disk. */
  fullPageWriteMisses = 0;
  /** Dirty victims written back before eviction. */
  evictionWrites = 0;
  /** Pages evicted by {@link resize} (not by a miss). */
  resizeEvictions = 0;
  /** Writes made durable at once (write-through, fsync, or a write to a zero-page memory). */
  syncWrites = 0;

  constructor(
    readonly policy: PagePolicy,
    writeback: WritebackConfig,
    private readonly backing: GuestBacking,
  ) {
    this.writeback = new Writeback(writeback);
    this.writeThrough = writeback.mode === 'write-through';
  }

  /** Disk writes so far: flusher writebacks + eviction writebacks + synchronous writes. */
  get diskWrites(): number {
    return this.writeback.written + this.evictionWrites + this.syncWrites;
  }

  get writebackWrites(): number {
    return this.writeback.written;
  }

  isResident(page: number): boolean {
    return this.policy.frameOf(page) >= 0;
  }

  reference(page: number, op: number, time: number, index: number): void {
    if (time < this.now) time = this.now;
    else this.now = time;
    const wb = this.writeback;
    if (!this.writeThrough) wb.advance(time);
    this.references++;
    const write = (op & OP_WRITE_BIT) !== 0;
    const fullPage = write && (op & OP_FULL_PAGE_BIT) !== 0;
    if (write) {
      this.writes++;
      if ((op & OP_FSYNC_BIT) !== 0) this.fsyncWrites++;
      if (fullPage) this.fullPageWrites++;
    } else {
      this.reads++;
    }
    const policy = this.policy;
    if (policy.access(page, index)) {
      this.hits++;
      if (policy.nextVictim !== undefined) this.putExtraVictims(policy);
      if (write) this.write(page, op, time);
      return;
    }
    this.misses++;
    if (fullPage) {
      this.backing.discard(page);
      this.fullPageWriteMisses++;
    } else if (this.backing.get(page)) this.hvHits++;
    else this.diskReads++;
    const victim = policy.insert(page, index);
    if (victim === page) {
      // Zero-page memory: the page passes straight through; a write goes to disk at once.
      if (write) this.syncWrites++;
      this.backing.put(page);
      return;
    }
    if (victim >= 0) {
      if (wb.clean(victim)) this.evictionWrites++;
      this.backing.put(victim);
    }
    if (policy.nextVictim !== undefined) this.putExtraVictims(policy);
    if (write) this.write(page, op, time);
  }

  /**
   * Resizes guest memory to `pages` frames mid-run (a balloon driver inflating or deflating).
   * Shrinking evicts the pages the policy evicts next, exactly as memory pressure would: a dirty
   * victim is written back first (an eviction write), then the clean page is handed to the backing
   * (`put`: with a hypervisor cache, it enters the cache). Growing adds empty frames: the pages
   * that fill them are misses (refill). Returns the pages evicted, in eviction order.
   */
  resize(pages: number): number[] {
    const evicted = this.policy.resize(pages);
    for (const victim of evicted) {
      if (this.writeback.clean(victim)) this.evictionWrites++;
      this.backing.put(victim);
    }
    this.resizeEvictions += evicted.length;
    return evicted;
  }

  /** Victims beyond insert's one (2q, lirs): written back if dirty, then put. */
  private putExtraVictims(policy: PagePolicy): void {
    for (let v = policy.nextVictim?.() ?? -1; v >= 0; v = policy.nextVictim?.() ?? -1) {
      if (this.writeback.clean(v)) this.evictionWrites++;
      this.backing.put(v);
    }
  }

  resetCounters(): void {
    this.resizeEvictions = 0;
    this.references = 0;
    this.reads = 0;
    this.writes = 0;
    this.fsyncWrites = 0;
    this.hits = 0;
    this.misses = 0;
    this.hvHits = 0;
    this.diskReads = 0;
    this.fullPageWrites = 0;
    this.fullPageWriteMisses = 0;
    this.evictionWrites = 0;
    this.syncWrites = 0;
    this.writeback.written = 0;
  }

  private write(page: number, op: number, time: number): void {
    if (this.writeThrough || (op & OP_FSYNC_BIT) !== 0) {
      this.syncWrites++;
      this.writeback.clean(page);
    } else {
      this.writeback.markDirty(page, time);
    }
  }
}
