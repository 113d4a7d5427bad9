import type { CacheObserver } from '../../hypervisor/exclusive-cache.js';
import { RankHistogram } from './rank-histogram.js';

/**
 * The hypervisor's view of one VM during one epoch of the online loop (DESIGN.md §2 `hypervisor`
 * MRC), for a guest memory and cache whose sizes change between epochs.
 *
 * Guest memory, cache and ghost list form one LRU stack (for an LRU guest), so a lookup has rank
 * g + r, where r is its position in the hypervisor's list (the cache's recency order — data and
 * id-only entries — then the ghost list, as the cache reports it) and g the number of pages the
 * guest holds. The hypervisor knows g without looking
 * inside the guest: it counts the pages it hands to the guest (every miss passes through it) and
 * those the guest gives back (every eviction is a put), and the guest's capacity is what the
 * hypervisor gave it. Right after the VM grows, g < V (refill), which is why the live count and
 * not the capacity is used. Lookups beyond the ghost list, and cold ones, count as `beyond`.
 *
 * The epoch's curve is known for sizes V .. V + C + G (V, C at the epoch's start; the loop only
 * resizes at epoch boundaries); the guest's own hits are invisible, so sizes below V are unknown.
 */
export class HypervisorEpochRecorder implements CacheObserver {
  readonly hist: RankHistogram;

  constructor(
    maxRank: number,
    private readonly guestResident: () => number,
  ) {
    this.hist = new RankHistogram(maxRank);
  }

  onGet(rank: number): void {
    this.hist.add(rank >= 0 ? this.guestResident() + rank : -1);
  }
}
