/**
 * Exact allocation by dynamic programming over memory quanta (DESIGN.md §2 Allocation):
 * minimise Σ wᵢ·missesᵢ(mᵢ) subject to Σ mᵢ ≤ M, minᵢ ≤ mᵢ ≤ maxᵢ and
 * missesᵢ(mᵢ) ≤ (1 + αᵢ)·missesᵢ(bᵢ), with mᵢ a whole number of quanta q.
 *
 * dp_i[u] = least weighted misses of VMs 0..i-1 using exactly u quanta; each VM adds one of its
 * allowed choices (constraints.ts). O(n · U · C) time for U = ⌊M/q⌋ quanta and C choices per VM.
 * Ties keep the allocation found first (fewest quanta for the earlier VMs). When no allocation
 * satisfies every constraint the result says which VM and which constraint (see
 * {@link infeasibility}).
 */
import {
  choicesOf,
  fmtNum,
  limitText,
  normalise,
  type AllocProblem,
  type Choices,
  type NormalVm,
} from './constraints.js';
import { throwIfCancelled, type RunControl } from '../control.js';
import { allocQuantum } from './limits.js';

/** Inner DP steps between two progress reports (a few milliseconds of work). */
const PROGRESS_WORK = 1 << 21;

export interface VmAllocation {
  name: string;
  pages: number;
  predictedMisses: number;
  weight: number;
  baselinePages: number;
  /** misses(b); NaN when unknown. */
  baselineMisses: number;
  tolerance: number;
  /** (1 + α)·misses(b); Infinity when α = ∞. */
  limit: number;
  /** limit − predicted misses (Infinity when α = ∞). */
  slack: number;
}

export type AllocResult =
  | {
      feasible: true;
      quantum: number;
      /** Set when the quantum was raised to stay within the problem-size limit. */
      note?: string;
      allocations: VmAllocation[];
      /** Σ misses (unweighted). */
      totalPredictedMisses: number;
      /** Σ w·misses: the minimised objective. */
      objective: number;
      memoryUsed: number;
      /** M − Σ m. */
      memorySlack: number;
    }
  | { feasible: false; quantum: number; reason: string; vm: string | null; note?: string };

export function allocationOf(vm: NormalVm, pages: number, misses: number): VmAllocation {
  return {
    name: vm.name,
    pages,
    predictedMisses: misses,
    weight: vm.weight,
    baselinePages: vm.baseline,
    baselineMisses: vm.baselineMisses,
    tolerance: vm.tolerance,
    limit: vm.limit,
    slack: vm.limit - misses,
  };
}

/** Why no allocation fits, naming the VM and the constraint; null when one exists. */
export function infeasibility(
  vms: readonly NormalVm[],
  choices: readonly Choices[],
  memory: number,
  quantum: number,
): { reason: string; vm: string | null } | null {
  const totalMin = vms.reduce((a, vm) => a + vm.min, 0);
  if (totalMin > memory)
    return { reason: `total minimum memory ${totalMin} exceeds M = ${memory}`, vm: null };
  for (const vm of vms) {
    if (vm.min > vm.max)
      return {
        reason: `${vm.name}: minimum ${vm.min} exceeds its maximum ${vm.max} (M = ${memory})`,
        vm: vm.name,
      };
    if (vm.tolerance !== Number.POSITIVE_INFINITY && !Number.isFinite(vm.baselineMisses))
      return {
        reason: `${vm.name}: misses at the baseline b = ${fmtNum(vm.baseline)} pages are unknown for this curve, so the isolation constraint cannot be checked (give a baseline where the curve is defined, or tolerance inf)`,
        vm: vm.name,
      };
  }
  for (const [i, vm] of vms.entries()) {
    if (choices[i].units.length === 0)
      return {
        reason: `${vm.name}: no size in [${vm.min}, ${vm.max}] (multiples of q = ${quantum}) ${
          vm.limit === Number.POSITIVE_INFINITY ? 'has known misses' : `keeps ${limitText(vm)}`
        }`,
        vm: vm.name,
      };
  }
  const units = Math.floor(memory / quantum);
  const smallest = choices.map((c) => c.units[0]);
  const sum = smallest.reduce((a, b) => a + b, 0);
  if (sum <= units) return null;
  // The VM whose smallest feasible size is furthest above its minimum is the one that does not fit.
  let worst = 0;
  let worstExcess = -Infinity;
  vms.forEach((vm, i) => {
    const excess = smallest[i] * quantum - vm.min;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  });
  const vm = vms[worst];
  const left = units * quantum - (sum - smallest[worst]) * quantum;
  return {
    reason: `${vm.name}: no size in [${vm.min}, ${vm.max}] keeps ${limitText(vm)} within the memory left (${left} of M = ${memory} pages after the other VMs' smallest feasible sizes; it needs ${smallest[worst] * quantum})`,
    vm: vm.name,
  };
}

/**
 * The optimum allocation, or why there is none. `control.onProgress` counts DP cells (VM × quanta
 * used × choice) out of their total now and then; `control.signal` is checked at the same points.
 */
export function solveAllocation(p: AllocProblem, control?: RunControl): AllocResult {
  if (p.quantum !== undefined && !(Number.isInteger(p.quantum) && p.quantum >= 1))
    throw new RangeError(`quantum must be a positive integer, got ${p.quantum}`);
  if (!(Number.isFinite(p.memory) && p.memory >= 0))
    throw new RangeError(`memory must be a non-negative number, got ${p.memory}`);
  const { quantum, note } = allocQuantum(p.memory, p.vms.length, p.quantum, p.maxQuanta);
  const noted = note === undefined ? {} : { note };
  const vms = normalise({ ...p, quantum });
  const choices = vms.map((vm) => choicesOf(vm, quantum));
  const why = infeasibility(vms, choices, p.memory, quantum);
  if (why !== null) return { feasible: false, quantum, ...why, ...noted };

  const units = Math.floor(p.memory / quantum);
  let dp = new Float64Array(units + 1).fill(Number.POSITIVE_INFINITY);
  dp[0] = 0;
  const picks: Int32Array[] = [];
  // Progress: each (VM, u) row counts its number of choices, whether or not all are tried.
  const report = control?.onProgress;
  const totalWork = choices.reduce((t, c) => t + (units + 1) * c.units.length, 0);
  let work = 0;
  let nextReport = PROGRESS_WORK;
  for (const [i, vm] of vms.entries()) {
    const next = new Float64Array(units + 1).fill(Number.POSITIVE_INFINITY);
    const pick = new Int32Array(units + 1).fill(-1);
    const { units: cu, misses: cm } = choices[i];
    for (let u = 0; u <= units; u++) {
      if (report !== undefined) {
        work += cu.length;
        if (work >= nextReport) {
          nextReport = work + PROGRESS_WORK;
          report(work, totalWork);
          throwIfCancelled(control);
        }
      }
      const base = dp[u];
      if (base === Number.POSITIVE_INFINITY) continue;
      for (let c = 0; c < cu.length; c++) {
        const v = u + cu[c];
        if (v > units) break;
        const cost = base + vm.weight * cm[c];
        if (cost < next[v]) {
          next[v] = cost;
          pick[v] = c;
        }
      }
    }
    picks.push(pick);
    dp = next;
  }
  report?.(totalWork, totalWork);
  let bestU = -1;
  for (let u = 0; u <= units; u++) if (bestU < 0 || dp[u] < dp[bestU]) bestU = u;
  // Backtrack.
  const chosen = new Array<number>(vms.length);
  let u = bestU;
  for (let i = vms.length - 1; i >= 0; i--) {
    const c = picks[i][u];
    chosen[i] = c;
    u -= choices[i].units[c];
  }
  const allocations = vms.map((vm, i) =>
    allocationOf(vm, choices[i].units[chosen[i]] * quantum, choices[i].misses[chosen[i]]),
  );
  const memoryUsed = allocations.reduce((a, x) => a + x.pages, 0);
  return {
    feasible: true,
    quantum,
    ...noted,
    allocations,
    totalPredictedMisses: allocations.reduce((a, x) => a + x.predictedMisses, 0),
    objective: allocations.reduce((a, x) => a + x.weight * x.predictedMisses, 0),
    memoryUsed,
    memorySlack: p.memory - memoryUsed,
  };
}
