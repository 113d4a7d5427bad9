/**
 * Re-simulation of a static allocation (DESIGN.md §2): the VM runs alone with guest memory = its
 * allocation and no hypervisor cache, with its real guest policy; its achieved misses are the
 * guest misses (all of which are disk reads, there being no cache), counted after warm-up like
 * the curves. With an LRU guest the exact (or hypervisor) curve is the LRU curve of the same
 * stream, so achieved = predicted holds by construction: alloc.compute flags such results
 * (`byConstruction`). Online mode does not call this: its controllers simulate the changing
 * allocations in one timeline (online/online.ts), where predicted and achieved differ.
 */
import type { VmMemoryConfig } from '../config.js';
import type { RunControl } from '../control.js';
import { simulateVm, type ChunkSource } from '../host.js';
import type { RefChunk } from '../trace/chunk.js';

export interface Resimulated {
  pages: number;
  references: number;
  /** Guest misses = disk reads with no hypervisor cache. */
  misses: number;
  diskReads: number;
}

export async function resimulate(
  memory: VmMemoryConfig,
  chunks: ChunkSource,
  pages: number,
  control?: RunControl,
): Promise<Resimulated> {
  if (pages <= 0) {
    // No memory: every counted reference misses.
    let refs = 0;
    for await (const c of chunks as AsyncIterable<RefChunk>) refs += c.length;
    const counted = Math.max(0, refs - memory.warmup);
    return { pages: 0, references: counted, misses: counted, diskReads: counted };
  }
  const config: VmMemoryConfig = {
    ...memory,
    guestPages: pages,
    hypervisor: { ...memory.hypervisor, pages: 0, ghostPages: 0 },
  };
  const r = await simulateVm(config, chunks, { control });
  return {
    pages,
    references: r.stats.references,
    misses: r.stats.guestMisses,
    diskReads: r.stats.diskReads,
  };
}
