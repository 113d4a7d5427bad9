import type { CacheObserver } from '../../hypervisor/exclusive-cache.js';
import { RankHistogram } from './rank-histogram.js';

/**
 * The hypervisor's view of one VM during one epoch of the online loop (DESIGN.md §2 `hypervisor`
 * MRC), for a guest memory and cache whose sizes change between epochs.
 *
 * Guest memory, cache and ghost list form one LRU stack (for an LRU guest), so a lookup has rank
 * g + p (cache hit at position p) or g + c + q (ghost hit at position q), where g is the number
 * of pages the guest holds and c the cache's entries. The hypervisor knows g without looking
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
    private readonly cacheEntries: () => number,
  ) {
    this.hist = new RankHistogram(maxRank);
  }

  onGet(cachePos: number, ghostPos: number): void {
    if (cachePos >= 0) this.hist.add(this.guestResident() + cachePos);
    else if (ghostPos >= 0) this.hist.add(this.guestResident() + this.cacheEntries() + ghostPos);
    else this.hist.add(-1);
  }
}
