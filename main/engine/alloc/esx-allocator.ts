/**
 * ESX-style allocation (Waldspurger, OSDI 2002; DESIGN.md §2): proportional shares with an
 * idle-memory tax. Every VM starts at its configured allocation (its maximum) and memory is
 * reclaimed one quantum at a time from the VM with the lowest adjusted shares-per-page ratio
 *
 *   ρ = S / (P·(f + k(1 − f))),   k = 1/(1 − τ),
 *
 * until Σ P ≤ M. S are the shares (default equal), P the VM's current pages and f its active
 * fraction. The active memory a is the VM's ESX sampling estimate (pages, taken as fixed while
 * reclaiming), so f = min(1, a/P) is re-evaluated as P shrinks: idle pages are taxed at k, active
 * ones are not. A VM is never reclaimed below its minimum; if Σ min > M no allocation exists.
 * The allocator never grows a VM past its starting size — ESX's estimate cannot see a working
 * set larger than the allocation (it saturates at P), which is what MRC-driven allocation fixes.
 */
import { fmtNum } from './constraints.js';

export interface EsxAllocVm {
  name: string;
  /** S (default 1). */
  shares?: number;
  /** a: the ESX active-memory estimate in pages (f = a / P). */
  activePages: number;
  /** Starting (configured) allocation in pages. */
  initial: number;
  /** Lower bound (default 0). */
  min?: number;
}

export interface EsxAllocOptions {
  memory: number;
  /** Pages reclaimed per step (default 1). */
  quantum?: number;
  /** τ: idle-memory tax in [0, 1) (default 0.75). */
  tau?: number;
}

export const DEFAULT_TAU = 0.75;

export type EsxAllocResult =
  | {
      feasible: true;
      allocations: { name: string; pages: number; activeFraction: number; rho: number }[];
      steps: number;
    }
  | { feasible: false; reason: string };

export function adjustedRatio(shares: number, pages: number, active: number, k: number): number {
  if (pages <= 0) return Number.POSITIVE_INFINITY;
  const f = Math.min(1, Math.max(0, active / pages));
  return shares / (pages * (f + k * (1 - f)));
}

export function esxAllocate(vms: readonly EsxAllocVm[], options: EsxAllocOptions): EsxAllocResult {
  const tau = options.tau ?? DEFAULT_TAU;
  if (!(tau >= 0 && tau < 1)) throw new RangeError(`tau must be in [0, 1), got ${tau}`);
  const q = options.quantum ?? 1;
  if (!(q > 0)) throw new RangeError(`quantum must be positive, got ${q}`);
  const k = 1 / (1 - tau);
  const M = options.memory;
  const mins = vms.map((v) => v.min ?? 0);
  const totalMin = mins.reduce((a, b) => a + b, 0);
  if (totalMin > M)
    return { feasible: false, reason: `total minimum memory ${fmtNum(totalMin)} exceeds M = ${M}` };
  const pages = vms.map((v, i) => Math.max(v.initial, mins[i]));
  const shares = vms.map((v) => v.shares ?? 1);
  let total = pages.reduce((a, b) => a + b, 0);
  let steps = 0;
  while (total > M) {
    let victim = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < vms.length; i++) {
      if (pages[i] <= mins[i]) continue;
      const rho = adjustedRatio(shares[i], pages[i], vms[i].activePages, k);
      if (rho < best) {
        best = rho;
        victim = i;
      }
    }
    if (victim < 0) break; // unreachable: Σ min ≤ M
    const take = Math.min(q, pages[victim] - mins[victim], total - M);
    pages[victim] -= take;
    total -= take;
    steps++;
  }
  return {
    feasible: true,
    steps,
    allocations: vms.map((v, i) => ({
      name: v.name,
      pages: pages[i],
      activeFraction: pages[i] > 0 ? Math.min(1, v.activePages / pages[i]) : 0,
      rho: adjustedRatio(shares[i], pages[i], v.activePages, k),
    })),
  };
}
