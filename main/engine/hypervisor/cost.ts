import type { CostModel } from '../config.js';

/**
 * The cost model of the hypervisor cache (DESIGN.md §2), in microseconds:
 *
 *   overheadUs = hvHits·hitUs + puts·putUs
 *     — what running with C pages in the hypervisor cache costs compared with having all V + C
 *       pages in the VM (where those hits would have been free guest hits and no puts happen);
 *   savedUs    = hvHits·diskReadUs
 *     — the disk reads the cache avoids compared with a VM of V pages and no cache;
 *   netSavedUs = savedUs − overheadUs.
 *
 * Admission failures cost nothing here (the page is simply not kept); ghost entries hold no data.
 */
export interface CacheCost {
  overheadUs: number;
  savedUs: number;
  netSavedUs: number;
}

export function cacheCost(costs: CostModel, hvHits: number, puts: number): CacheCost {
  const overheadUs = hvHits * costs.hitUs + puts * costs.putUs;
  const savedUs = hvHits * costs.diskReadUs;
  return { overheadUs, savedUs, netSavedUs: savedUs - overheadUs };
}
