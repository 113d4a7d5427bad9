/**
 * The overhead sweep (Lu & Shen 2007 §5): a VM with total memory M is run with a share s of
 * it in the hypervisor cache, C = round(s·M), V = M − C, and once with all M pages as guest
 * memory and no cache; the time model (engine/hypervisor/cost.ts) turns each run's counts into
 * the application's time, so each share gets a mean access time and a throughput ratio.
 */
import type { VmSpec } from '../../shared/schema/index.js';
import type { RunControl } from '../engine/control.js';
import { simulateVm } from '../engine/host.js';
import {
  applicationTime,
  overheadOf,
  type ApplicationTime,
  type Overhead,
} from '../engine/hypervisor/cost.js';
import type { VmStats } from '../engine/hypervisor/stats.js';
import { memoryConfigOf, workloadSource } from './experiment-runner.js';

export interface OverheadPoint {
  /** C / (V + C). */
  share: number;
  guestPages: number;
  cachePages: number;
  hvHits: number;
  puts: number;
  diskReads: number;
  diskWrites: number;
  overhead: Overhead;
}

export interface OverheadSweep {
  memoryPages: number;
  references: number;
  /** The run with all memory in the VM. */
  baseline: { diskReads: number; diskWrites: number; time: ApplicationTime };
  points: OverheadPoint[];
  /** The time model's parameters (µs). */
  costs: VmSpec['costs'];
}

/** Shares 0.1, 0.2, … 0.9. */
export const DEFAULT_SHARES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

function timeOf(vm: VmSpec, s: VmStats): ApplicationTime {
  return applicationTime(memoryConfigOf(vm).hypervisor.costs, s);
}

/**
 * @param vm the VM (workload, policy, writeback, costs…); its guestPages/hvPages are replaced.
 * @param memoryPages M = V + C.
 */
export async function overheadSweep(
  vm: VmSpec,
  memoryPages: number,
  shares: readonly number[],
  baseDir: string,
  pageSize: number,
  control?: RunControl,
): Promise<OverheadSweep> {
  if (!Number.isInteger(memoryPages) || memoryPages < 2)
    throw new RangeError(`memory must be at least 2 pages, got ${memoryPages}`);
  const run = async (guestPages: number, hvPages: number): Promise<VmStats> => {
    const spec = { ...vm, guestPages, hvPages, ghostPages: 0 };
    const src = await workloadSource(spec, baseDir, pageSize, control);
    const r = await simulateVm(memoryConfigOf(spec), src.chunks, {
      name: vm.name,
      control: control === undefined ? undefined : { signal: control.signal },
    });
    return r.stats;
  };
  const total = shares.length + 1;
  const base = await run(memoryPages, 0);
  control?.onProgress?.(1, total);
  const baseTime = timeOf(vm, base);
  const points: OverheadPoint[] = [];
  for (const share of shares) {
    if (!(share > 0 && share < 1)) throw new RangeError(`a share must be in (0, 1), got ${share}`);
    const cachePages = Math.min(memoryPages - 1, Math.max(1, Math.round(share * memoryPages)));
    const s = await run(memoryPages - cachePages, cachePages);
    points.push({
      share,
      guestPages: memoryPages - cachePages,
      cachePages,
      hvHits: s.hvHits,
      puts: s.puts,
      diskReads: s.diskReads,
      diskWrites: s.diskWrites,
      overhead: overheadOf(timeOf(vm, s), baseTime),
    });
    control?.onProgress?.(points.length + 1, total);
  }
  return {
    memoryPages,
    references: base.references,
    baseline: { diskReads: base.diskReads, diskWrites: base.diskWrites, time: baseTime },
    points,
    costs: vm.costs,
  };
}
