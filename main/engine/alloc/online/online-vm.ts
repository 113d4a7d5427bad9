import type { VmMemoryConfig } from '../../config.js';
import { GuestMemory } from '../../guest/guest-memory.js';
import { ExclusiveCache } from '../../hypervisor/exclusive-cache.js';
import { createPolicy } from '../../policy/create-policy.js';
import type { PolicyOptions } from '../../policy/policy.js';
import { HypervisorEpochRecorder } from './hypervisor-epoch-recorder.js';

/** Counters of one VM over one epoch. */
export interface EpochCounters {
  references: number;
  /** Disk reads (guest misses the hypervisor cache did not supply). */
  misses: number;
  /**
   * Misses while the memory (guest + cache) was not full, of a page whose LRU stack distance is
   * within the allocation: a warm memory of the same size would have hit. For an LRU guest these
   * are exactly the misses caused by growing (the new room starts empty).
   */
  refillMisses: number;
  hvHits: number;
  diskWrites: number;
}

function zero(): EpochCounters {
  return { references: 0, misses: 0, refillMisses: 0, hvHits: 0, diskWrites: 0 };
}

/**
 * One VM of one controller in the online loop: guest memory (V) over an exclusive hypervisor
 * cache (C, ghost list G), resizable between epochs, optionally with the hypervisor's epoch
 * recorder. `reference` takes the page's exact LRU rank (computed once per reference by the loop)
 * to classify refill misses.
 */
export class OnlineVm {
  readonly guest: GuestMemory;
  readonly cache: ExclusiveCache;
  readonly recorder: HypervisorEpochRecorder | null;
  guestPages: number;
  cachePages: number;
  counters: EpochCounters = zero();
  private writesAtStart = 0;

  constructor(
    config: VmMemoryConfig,
    guestPages: number,
    cachePages: number,
    ghostPages: number,
    options: { record?: number; policyOptions?: PolicyOptions } = {},
  ) {
    this.guestPages = guestPages;
    this.cachePages = cachePages;
    this.cache = new ExclusiveCache({ ...config.hypervisor, pages: cachePages, ghostPages });
    const policy = createPolicy(config.policy, guestPages, {
      activeFraction: config.activeFraction,
      ...options.policyOptions,
    });
    this.guest = new GuestMemory(policy, config.writeback, this.cache);
    this.recorder =
      options.record === undefined
        ? null
        : new HypervisorEpochRecorder(options.record, () => policy.size);
    this.cache.observer = this.recorder;
  }

  /** V + C. */
  get pages(): number {
    return this.guestPages + this.cachePages;
  }

  reference(page: number, op: number, time: number, index: number, rank: number): void {
    const guest = this.guest;
    const notFull = guest.policy.size + this.cache.size < this.guestPages + this.cachePages;
    const before = guest.diskReads;
    const hvBefore = guest.hvHits;
    guest.reference(page, op, time, index);
    const c = this.counters;
    c.references++;
    if (guest.diskReads !== before) {
      c.misses++;
      if (notFull && rank >= 0 && rank < this.guestPages + this.cachePages) c.refillMisses++;
    } else if (guest.hvHits !== hvBefore) {
      c.hvHits++;
    }
  }

  /** Ends an epoch: returns its counters and starts new ones (the recorder keeps its curve). */
  endEpoch(): EpochCounters {
    const c = this.counters;
    const writes = this.guest.diskWrites;
    c.diskWrites = writes - this.writesAtStart;
    this.writesAtStart = writes;
    this.counters = zero();
    return c;
  }

  /** Clears the recorder for the next epoch (after the controller has read its curve). */
  startEpoch(): void {
    this.recorder?.hist.reset();
  }

  /**
   * New sizes for the next epoch. Guest memory first (its evictions enter the cache as the most
   * recent entries, as memory pressure would put them), then the cache (its oldest entries go to
   * the ghost list). For an LRU guest, shrinking V + C to m keeps exactly the m most recently
   * used pages; growing starts the new room empty.
   */
  resize(guestPages: number, cachePages: number): void {
    this.guest.resize(guestPages);
    this.cache.resize(cachePages);
    this.guestPages = guestPages;
    this.cachePages = cachePages;
  }
}
