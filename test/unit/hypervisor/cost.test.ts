import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { cacheCost } from '../../../main/engine/hypervisor/cost.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';

describe('cost model', () => {
  it('overhead = hits·hitUs + puts·putUs; saving = hits·diskReadUs', () => {
    const c = cacheCost({ hitUs: 3, putUs: 5, diskReadUs: 1000, diskWriteUs: 2000 }, 10, 7);
    expect(c).toEqual({ overheadUs: 65, savedUs: 10_000, netSavedUs: 9_935 });
  });

  it('is what a simulation reports', () => {
    const pages = Array.from({ length: 2000 }, (_, i) => (i * 37) % 150);
    const config = vmMemoryConfig({
      guestPages: 50,
      hypervisor: { pages: 120, costs: { hitUs: 2, putUs: 1, diskReadUs: 4000, diskWriteUs: 1 } },
    });
    const s = simulateVmSync(config, chunksOf(traceFromPages(pages))).stats;
    expect(s.hvHits).toBeGreaterThan(0);
    expect(s.overheadUs).toBe(s.hvHits * 2 + s.puts * 1);
    expect(s.savedUs).toBe(s.hvHits * 4000);
    expect(s.netSavedUs).toBe(s.savedUs - s.overheadUs);
  });
});
