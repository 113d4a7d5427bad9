/**
 * The allocation problem (DESIGN.md §2 Allocation) and its constraints: host memory M, per-VM
 * bounds [min, max], weights and the isolation constraint misses(m) ≤ (1 + α)·misses(b).
 *
 * Allocations are whole quanta: VM i may get j·q pages for integers j with
 * min ≤ j·q ≤ min(max, M) whose misses are known (NaN sizes are never choices) and keep the
 * isolation constraint. The baseline b defaults to an equal share M/n and is evaluated where it
 * is (it need not be a multiple of q).
 */
import type { SizeCurve } from './curve.js';

export interface AllocVm {
  name: string;
  /** misses as a function of memory (pages); NaN where unknown. */
  curve: SizeCurve;
  /** w: weight of this VM's misses in the objective (default 1). */
  weight?: number;
  /** α ≥ 0 (default 0: strict isolation); Infinity: no isolation constraint. */
  tolerance?: number;
  /** b: baseline pages (default M/n). */
  baseline?: number;
  /**
   * misses(b) when the curve does not know it (e.g. a bound the caller can justify); default
   * curve(b).
   */
  baselineMisses?: number;
  /** Bounds in pages (default 0 and M). */
  min?: number;
  max?: number;
}

export interface AllocProblem {
  vms: readonly AllocVm[];
  /** M: host memory in pages. */
  memory: number;
  /** q: allocation quantum in pages (default {@link defaultQuantum}). */
  quantum?: number;
  /** Most VMs · (⌊M/q⌋ + 1); a finer quantum is raised (default DEFAULT_MAX_ALLOC_QUANTA). */
  maxQuanta?: number;
}

/** A VM with every default filled in. */
export interface NormalVm {
  name: string;
  curve: SizeCurve;
  weight: number;
  tolerance: number;
  baseline: number;
  baselineMisses: number;
  /** (1 + α)·misses(b); Infinity when α = ∞. */
  limit: number;
  min: number;
  max: number;
}

/** Default quantum: about 1000 quanta in M (at least one page). */
export function defaultQuantum(memory: number): number {
  return Math.max(1, Math.ceil(memory / 1000));
}

/** Relative slack when comparing misses against the isolation limit (float noise only). */
const EPS = 1e-9;

export function withinLimit(misses: number, limit: number): boolean {
  return misses <= limit + EPS * Math.max(1, Math.abs(limit));
}

export function normalise(p: AllocProblem): NormalVm[] {
  const n = p.vms.length;
  return p.vms.map((vm) => {
    const baseline = vm.baseline ?? p.memory / Math.max(1, n);
    const tolerance = vm.tolerance ?? 0;
    const baselineMisses = vm.baselineMisses ?? vm.curve(baseline);
    return {
      name: vm.name,
      curve: vm.curve,
      weight: vm.weight ?? 1,
      tolerance,
      baseline,
      baselineMisses,
      limit: tolerance === Number.POSITIVE_INFINITY ? Infinity : (1 + tolerance) * baselineMisses,
      min: vm.min ?? 0,
      max: Math.min(vm.max ?? p.memory, p.memory),
    };
  });
}

export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

export function alphaText(a: number): string {
  return a === Number.POSITIVE_INFINITY ? '∞' : fmtNum(a);
}

/** Allowed sizes of one VM: quanta j (pages j·q) and their misses, ascending. */
export interface Choices {
  units: number[];
  misses: number[];
}

export function choicesOf(vm: NormalVm, quantum: number): Choices {
  const units: number[] = [];
  const misses: number[] = [];
  const first = Math.ceil(vm.min / quantum - EPS);
  const last = Math.floor(vm.max / quantum + EPS);
  for (let j = first; j <= last; j++) {
    const m = vm.curve(j * quantum);
    if (!Number.isFinite(m)) continue;
    if (!withinLimit(m, vm.limit)) continue;
    units.push(j);
    misses.push(m);
  }
  return { units, misses };
}

/** The isolation constraint as text, e.g. `(1+0.1)·misses(500) = 1234`. */
export function limitText(vm: NormalVm): string {
  return `misses ≤ (1+${alphaText(vm.tolerance)})·misses(${fmtNum(vm.baseline)}) = ${fmtNum(vm.limit)}`;
}

export interface Violation {
  vm: string | null;
  constraint: 'memory' | 'min' | 'max' | 'isolation' | 'unknown' | 'quantum';
  message: string;
}

/** Checks an allocation (pages per VM, in order) against every constraint. */
export function checkAllocation(p: AllocProblem, pages: readonly number[]): Violation[] {
  const q = p.quantum ?? defaultQuantum(p.memory);
  const out: Violation[] = [];
  const total = pages.reduce((a, b) => a + b, 0);
  if (total > p.memory) out.push({ vm: null, constraint: 'memory', message: `Σ ${total} > M` });
  normalise(p).forEach((vm, i) => {
    const m = pages[i];
    if (m < vm.min) out.push({ vm: vm.name, constraint: 'min', message: `${m} < ${vm.min}` });
    if (m > vm.max) out.push({ vm: vm.name, constraint: 'max', message: `${m} > ${vm.max}` });
    if (m % q !== 0) out.push({ vm: vm.name, constraint: 'quantum', message: `${m} % ${q}` });
    const misses = vm.curve(m);
    if (!Number.isFinite(misses))
      out.push({ vm: vm.name, constraint: 'unknown', message: `misses(${m}) unknown` });
    else if (!withinLimit(misses, vm.limit))
      out.push({ vm: vm.name, constraint: 'isolation', message: `${misses} > ${vm.limit}` });
  });
  return out;
}
