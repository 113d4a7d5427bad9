/**
 * Online adaptive allocation (DESIGN.md §2 Allocation, "adaptive mode"; Lu & Shen 2007's
 * allocation experiment): the VMs run in one timeline of VM time cut into epochs, and three
 * controllers are run side by side on the same reference streams, each with its own memories:
 *
 * - `oracle`: at the end of every epoch, each VM's exact LRU MRC of that epoch (Mattson's stack,
 *   continuous across epochs) at every size; the DP sets the next epoch's allocation.
 * - `hypervisor`: the same DP, but each VM's curve is only what the hypervisor observed in that
 *   epoch: its exclusive cache's lookups and ghost list (`HypervisorEpochRecorder`), known on
 *   V .. V + C + G and unknown below V. Sizes outside that range are never choices, so a VM can
 *   shrink to at most V (= (1 − cacheShare)·m) per epoch and grow by at most C + G.
 * - `esx`: each VM runs with its whole allocation as guest memory and no cache; every ESX period
 *   its active memory is re-estimated by sampling (slow, fast and current-period averages, as in
 *   `mrc/esx.ts`) and the memory re-allocated with the idle-memory tax (`esxAllocate`, starting
 *   each period from every VM's max bound).
 *
 * How V and C are set: a DP controller gives VM i m_i pages (whole quanta, within the same
 * [min_i, max_i] bounds ESX uses); it is split into C_i = round(cacheShare·m_i) pages of
 * hypervisor cache and V_i = m_i − C_i of guest memory (cacheShare default 0.75). The ghost list
 * has G pages for every VM (default M, so the hypervisor's curve reaches every size above V).
 *
 * Resizing happens at epoch (ESX: period) boundaries in the running simulation: shrinking evicts
 * (guest victims are written back if dirty and enter the cache; the cache's oldest entries go to
 * the ghost list), growing starts empty, and the misses that refill the new room are counted
 * (`refillMisses`). Epoch 0 runs every VM at its baseline b_i (default M/n, rounded down to the
 * quantum). Misses are disk reads. With decay d the curve used is h_e = d·h_{e−1} + epoch_e
 * (for the hypervisor, h_{e−1} is extended flat below its known range — a lower bound).
 *
 * Isolation: the DP keeps misses_i(m) ≤ (1 + α_i)·misses_i(b_i) on the curve it has. For the
 * hypervisor, if b_i < V_i, misses(b_i) is unknown but at least misses(V_i), which is used (a
 * tighter, hence safe, limit). A violation is counted for an epoch when a VM's achieved misses
 * exceed (1 + α_i)·(the exact LRU misses of that epoch at b_i): the truth, not a prediction.
 * An infeasible epoch keeps the previous allocation and records the reason.
 *
 * Objective: Σ w_i·misses_i (default) or Σ w_i·misses_i/seconds_i (`rate`: page misses per
 * second of VM time, the paper's page miss rate). Per-VM miss rate = misses / VM seconds in the
 * epoch; a controller's rate is the sum over VMs (the host's misses per second).
 */
import { DEFAULT_ESX, type EsxConfig, type VmMemoryConfig } from '../../config.js';
import { throwIfCancelled, type RunControl } from '../../control.js';
import type { RefChunk } from '../../trace/chunk.js';
import { RecencyIndex } from '../../util/recency-index.js';
import { defaultQuantum, withinLimit } from '../constraints.js';
import { solveAllocation } from '../dp.js';
import { DEFAULT_TAU, esxAllocate } from '../esx-allocator.js';
import { EsxOnlineSampler, type EsxOnlinePeriod } from './esx-online.js';
import { OnlineVm } from './online-vm.js';
import { RankHistogram } from './rank-histogram.js';

/**
 * Default C/(V + C) of a DP allocation: V = m/4 lets the hypervisor see sizes down to a quarter of
 * the current allocation (it sees nothing below V), so a VM can shrink 4× per epoch; with 0.5 the
 * hypervisor controller lags the oracle by an epoch per halving on phase changes. A larger cache
 * share costs more hypercalls (see the overhead model).
 */
export const DEFAULT_CACHE_SHARE = 0.75;

export const ONLINE_CONTROLLERS = ['oracle', 'hypervisor', 'esx'] as const;
export type OnlineController = (typeof ONLINE_CONTROLLERS)[number];
export type AllocObjective = 'misses' | 'rate';

export interface OnlineVmInput {
  name: string;
  /** The VM's references (iterated once). */
  chunks: Iterable<RefChunk>;
  /** Guest policy, writeback, hypervisor cache settings and untimed rate (sizes are ignored). */
  memory: VmMemoryConfig;
  /** w: weight of the VM's misses in the DP objective (default 1). */
  weight?: number;
  /** S: ESX shares (default 1); not the weight. */
  shares?: number;
  /** α (default ∞: no isolation constraint). */
  tolerance?: number;
  /** b (default M/n). */
  baseline?: number;
  /** Bounds in pages, the same for every controller (default [0, M]). */
  min?: number;
  max?: number;
}

export interface OnlineOptions {
  memory: number;
  quantum?: number;
  /** Epoch length, seconds of VM time (default 30). */
  epochSeconds?: number;
  /** Share of each DP allocation given to the hypervisor cache (default 0.75). */
  cacheShare?: number;
  /** G: ghost-list entries per VM for the hypervisor controller (default M). */
  ghostPages?: number;
  /** d in [0, 1] (default 0). */
  decay?: number;
  objective?: AllocObjective;
  /** ESX idle-memory tax (default 0.75). */
  tau?: number;
  /** ESX sampling (period, samples, gains, seed); the period is in seconds of VM time. */
  esx?: Partial<EsxConfig>;
  controllers?: readonly OnlineController[];
}

export interface OnlineVmEpoch {
  name: string;
  /** m = V + C during the epoch (ESX: its guest memory at the epoch's end). */
  pages: number;
  guestPages: number;
  cachePages: number;
  references: number;
  misses: number;
  refillMisses: number;
  /** VM time of this VM in the epoch (seconds). */
  seconds: number;
  /** misses / seconds (0 when the VM did not run). */
  missRate: number;
  /** Misses the controller's curve predicted for this epoch at `pages` (DP controllers). */
  predictedMisses: number | null;
  /** Exact LRU misses of this epoch at the baseline, and whether the isolation limit was broken. */
  baselineMisses: number;
  violation: boolean;
}

export interface OnlineEpoch {
  index: number;
  startTime: number;
  endTime: number;
  /** The stream ended inside this epoch. */
  partial: boolean;
  /** Whether the allocation used in this epoch came from a feasible problem. */
  feasible: boolean;
  reason?: string;
  misses: number;
  refillMisses: number;
  missRate: number;
  violations: number;
  vms: OnlineVmEpoch[];
}

export interface OnlineControllerResult {
  controller: OnlineController;
  epochs: OnlineEpoch[];
  totalMisses: number;
  totalRefillMisses: number;
  /** Σ over VMs of misses / VM seconds over the whole run. */
  missRate: number;
  violations: number;
  /** Epochs (ESX: periods) after which some VM's allocation changed. */
  reallocations: number;
  /** ESX: each VM's periods (estimates). */
  esxPeriods?: { name: string; periods: EsxOnlinePeriod[] }[];
}

export interface OnlineResult {
  memory: number;
  quantum: number;
  epochSeconds: number;
  cacheShare: number;
  ghostPages: number;
  decay: number;
  objective: AllocObjective;
  tau: number;
  esxPeriodSeconds: number;
  vms: { name: string; min: number; max: number; baseline: number; tolerance: number }[];
  controllers: OnlineControllerResult[];
  notes: string[];
}

interface Cursor {
  iter: Iterator<RefChunk>;
  chunk: RefChunk | null;
  pos: number;
  index: number;
  origin: number | null;
  rate: number;
  lastTime: number;
  done: boolean;
}

function nextChunk(c: Cursor): void {
  while (true) {
    const r = c.iter.next();
    if (r.done === true) {
      c.chunk = null;
      c.done = true;
      return;
    }
    if (r.value.length > 0) {
      c.chunk = r.value;
      c.pos = 0;
      if (c.origin === null) c.origin = r.value.times !== null ? r.value.times[0] : 0;
      return;
    }
  }
}

function timeOf(c: Cursor): number {
  const chunk = c.chunk as RefChunk;
  const t = chunk.times !== null ? chunk.times[c.pos] - (c.origin ?? 0) : c.index / c.rate;
  return t < c.lastTime ? c.lastTime : t;
}

/** Misses at `pages` from a per-page curve (linear between integers; NaN outside / unknown). */
function at(curve: Float64Array, pages: number): number {
  if (!(pages >= 0) || pages > curve.length - 1) return Number.NaN;
  const lo = Math.floor(pages);
  if (lo === pages) return curve[lo];
  return curve[lo] + (curve[lo + 1] - curve[lo]) * (pages - lo);
}

/** h = d·prev + cur where cur is known; prev is extended flat past its known range. */
function decayInto(prev: Float64Array | null, cur: Float64Array, d: number): Float64Array {
  if (prev === null || d === 0) return cur;
  let first = -1;
  let last = -1;
  for (let s = 0; s < prev.length; s++)
    if (Number.isFinite(prev[s])) {
      if (first < 0) first = s;
      last = s;
    }
  const out = new Float64Array(cur.length);
  for (let s = 0; s < cur.length; s++) {
    let p = prev[s];
    if (!Number.isFinite(p)) p = first < 0 ? 0 : s < first ? prev[first] : prev[last];
    out[s] = Number.isFinite(cur[s]) ? cur[s] + d * p : Number.NaN;
  }
  return out;
}

interface ControllerState {
  controller: OnlineController;
  units: OnlineVm[];
  esx: EsxOnlineSampler[] | null;
  smoothed: (Float64Array | null)[];
  predicted: (number | null)[];
  feasible: boolean;
  reason?: string;
  epochs: OnlineEpoch[];
  reallocations: number;
}

/** Online references between two progress reports. */
const PROGRESS_REFS = 1 << 16;

/**
 * `control.onProgress` counts the references simulated (of all VMs; the total is known when the
 * chunks are arrays) now and then; `control.signal` is checked at the same points.
 */
export function onlineAllocation(
  inputs: readonly OnlineVmInput[],
  options: OnlineOptions,
  control?: RunControl,
): OnlineResult {
  const M = options.memory;
  if (!(Number.isInteger(M) && M > 0))
    throw new RangeError(`memory must be a positive number of pages, got ${M}`);
  const q = options.quantum ?? defaultQuantum(M);
  const epochLen = options.epochSeconds ?? 30;
  if (!(epochLen > 0)) throw new RangeError(`epochSeconds must be positive, got ${epochLen}`);
  const share = options.cacheShare ?? DEFAULT_CACHE_SHARE;
  if (!(share >= 0 && share < 1))
    throw new RangeError(`cacheShare must be in [0, 1), got ${share}`);
  const G = options.ghostPages ?? M;
  const decay = options.decay ?? 0;
  if (!(decay >= 0 && decay <= 1)) throw new RangeError(`decay must be in [0, 1], got ${decay}`);
  const objective = options.objective ?? 'misses';
  const tau = options.tau ?? DEFAULT_TAU;
  const esxConfig: EsxConfig = { ...DEFAULT_ESX, ...options.esx };
  const period = esxConfig.periodSeconds;
  if (!(period > 0)) throw new RangeError(`ESX periodSeconds must be positive, got ${period}`);
  const which = options.controllers ?? ONLINE_CONTROLLERS;
  const n = inputs.length;
  if (n === 0) throw new RangeError('online allocation needs at least one VM');
  for (const vm of inputs)
    if (vm.memory.policy === 'opt')
      throw new RangeError(
        `${vm.name}: the opt policy needs the whole future; not supported online`,
      );

  const vms = inputs.map((vm) => {
    const min = vm.min ?? 0;
    const max = Math.min(vm.max ?? M, M);
    const baseline = vm.baseline ?? M / n;
    return {
      name: vm.name,
      min,
      max,
      baseline,
      tolerance: vm.tolerance ?? Number.POSITIVE_INFINITY,
      weight: vm.weight ?? 1,
      shares: vm.shares ?? 1,
    };
  });
  // Epoch 0: the baseline, on the quantum grid, within the bounds.
  const start = vms.map((v) => {
    const b = Math.floor(v.baseline / q) * q;
    const m = Math.max(Math.ceil(v.min / q) * q, Math.min(b, Math.floor(v.max / q) * q));
    // No multiple of q within the bounds: the baseline clamped to them.
    return m >= v.min && m <= v.max ? m : Math.min(v.max, Math.max(v.min, Math.floor(v.baseline)));
  });
  const split = (m: number): [number, number] => {
    const c = Math.round(share * m);
    return [m - c, c];
  };

  const states: ControllerState[] = which.map((controller) => {
    const units = inputs.map((vm, i) => {
      if (controller === 'esx') return new OnlineVm(vm.memory, start[i], 0, 0);
      const [v, c] = split(start[i]);
      return new OnlineVm(vm.memory, v, c, controller === 'hypervisor' ? G : 0, {
        record: controller === 'hypervisor' ? M : undefined,
      });
    });
    return {
      controller,
      units,
      esx: controller === 'esx' ? start.map((m) => new EsxOnlineSampler(m, esxConfig)) : null,
      smoothed: inputs.map(() => null),
      predicted: inputs.map(() => null),
      feasible: true,
      epochs: [],
      reallocations: 0,
    };
  });

  const cursors: Cursor[] = inputs.map((vm) => {
    const c: Cursor = {
      iter: vm.chunks[Symbol.iterator](),
      chunk: null,
      pos: 0,
      index: 0,
      origin: null,
      rate: vm.memory.untimedRate,
      lastTime: 0,
      done: false,
    };
    nextChunk(c);
    return c;
  });
  const stacks = inputs.map(() => new RecencyIndex(1024, 1024));
  const exact = inputs.map(() => new RankHistogram(M));
  const seconds = new Float64Array(n);
  const notes: string[] = [];
  const totalRefs = inputs.every((vm) => Array.isArray(vm.chunks))
    ? inputs.reduce((t, vm) => t + (vm.chunks as RefChunk[]).reduce((a, c) => a + c.length, 0), 0)
    : undefined;
  let refsDone = 0;
  let nextReport = PROGRESS_REFS;
  control?.onStep?.(`online: ${which.join(', ')} controllers`);

  /** Runs every VM's references with time < end. */
  const runUntil = (end: number, epochStart: number): void => {
    for (let i = 0; i < n; i++) {
      const c = cursors[i];
      const stack = stacks[i];
      const hist = exact[i];
      while (!c.done) {
        const t = timeOf(c);
        if (t >= end) break;
        const chunk = c.chunk as RefChunk;
        const page = chunk.pages[c.pos];
        const op = chunk.ops[c.pos];
        const rank = stack.touch(page);
        hist.add(rank);
        for (const s of states) {
          const u = s.units[i];
          u.reference(page, op, t, c.index, rank);
          if (s.esx !== null) s.esx[i].touch(u.guest.policy.frameOf(page));
        }
        c.lastTime = t;
        seconds[i] = Math.max(seconds[i], t - epochStart);
        c.index++;
        c.pos++;
        if (c.pos >= chunk.length) nextChunk(c);
        if (++refsDone >= nextReport && control !== undefined) {
          nextReport = refsDone + PROGRESS_REFS;
          control.onProgress?.(refsDone, totalRefs);
          throwIfCancelled(control);
        }
      }
      // A VM still running covers the whole segment.
      if (!c.done) seconds[i] = Math.max(seconds[i], end - epochStart);
    }
  };

  let epochStart = 0;
  let epochIndex = 0;
  let nextEpoch = epochLen;
  // ESX ticks: update j (1..u) of period k at k·P + j·P/u; j = u (or u ≤ 1) closes the period.
  const u = esxConfig.currentUpdates;
  if (!(Number.isInteger(u) && u >= 0))
    throw new RangeError(`ESX currentUpdates must be an integer >= 0, got ${u}`);
  const tickAt = (k: number, j: number): number =>
    u <= 1 ? (k + 1) * period : k * period + (j * period) / u;
  let tickK = 0;
  let tickJ = 1;
  let nextTick = tickAt(0, 1);
  const hasEsx = states.some((s) => s.esx !== null);
  while (cursors.some((c) => !c.done)) {
    const segEnd = hasEsx ? Math.min(nextEpoch, nextTick) : nextEpoch;
    runUntil(segEnd, epochStart);
    const allDone = cursors.every((c) => c.done);
    const epochEnds = segEnd === nextEpoch || allDone;
    if (epochEnds) {
      const endTime = allDone && segEnd !== nextEpoch ? epochStart + Math.max(...seconds) : segEnd;
      const curves = exact.map((h) => h.missesBySize(0));
      for (const s of states)
        s.epochs.push(closeEpoch(s, epochIndex, epochStart, endTime, allDone, curves));
      if (!allDone) for (const s of states) if (s.esx === null) reallocate(s, curves, epochIndex);
      for (const s of states) for (const u of s.units) u.startEpoch();
      for (const h of exact) h.reset();
      seconds.fill(0);
      epochIndex++;
      epochStart = segEnd;
      nextEpoch = (epochIndex + 1) * epochLen;
    }
    if (allDone) break;
    if (hasEsx && segEnd === nextTick) {
      if (u <= 1 || tickJ === u) {
        for (const s of states) if (s.esx !== null) esxReallocate(s, segEnd);
        tickK++;
        tickJ = 1;
      } else {
        for (const s of states) for (const x of s.esx ?? []) x.update();
        tickJ++;
      }
      nextTick = tickAt(tickK, tickJ);
    }
  }

  function closeEpoch(
    s: ControllerState,
    index: number,
    startTime: number,
    endTime: number,
    partial: boolean,
    curves: Float64Array[],
  ): OnlineEpoch {
    const out: OnlineVmEpoch[] = s.units.map((u, i) => {
      const c = u.endEpoch();
      const v = vms[i];
      const secs = seconds[i];
      const baselineMisses = at(curves[i], v.baseline);
      const limit =
        v.tolerance === Number.POSITIVE_INFINITY ? Infinity : (1 + v.tolerance) * baselineMisses;
      return {
        name: v.name,
        pages: u.pages,
        guestPages: u.guestPages,
        cachePages: u.cachePages,
        references: c.references,
        misses: c.misses,
        refillMisses: c.refillMisses,
        seconds: secs,
        missRate: secs > 0 ? c.misses / secs : 0,
        predictedMisses: s.predicted[i],
        baselineMisses,
        violation: !withinLimit(c.misses, limit),
      };
    });
    const sum = (f: (x: OnlineVmEpoch) => number) => out.reduce((a, x) => a + f(x), 0);
    return {
      index,
      startTime,
      endTime,
      partial,
      feasible: s.feasible,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      misses: sum((x) => x.misses),
      refillMisses: sum((x) => x.refillMisses),
      missRate: sum((x) => x.missRate),
      violations: sum((x) => (x.violation ? 1 : 0)),
      vms: out,
    };
  }

  function reallocate(s: ControllerState, exactCurves: Float64Array[], index: number): void {
    const epoch = s.epochs[s.epochs.length - 1];
    const curves = s.units.map((u, i) => {
      let cur: Float64Array;
      if (s.controller === 'oracle') cur = exactCurves[i];
      else {
        const rec = u.recorder;
        if (rec === null) throw new Error('hypervisor controller without a recorder');
        cur = rec.hist.missesBySize(u.guestPages);
        const top = u.guestPages + u.cachePages + G;
        for (let x = top + 1; x < cur.length; x++) cur[x] = Number.NaN;
      }
      if (objective === 'rate') {
        const secs = epoch.vms[i].seconds;
        cur = cur.map((x) => (secs > 0 ? x / secs : x));
      }
      const h = decayInto(s.smoothed[i], cur, decay);
      s.smoothed[i] = h;
      return h;
    });
    const r = solveAllocation({
      memory: M,
      quantum: q,
      vms: vms.map((v, i) => {
        const h = curves[i];
        const u = s.units[i];
        const known = s.controller === 'hypervisor' ? u.guestPages : 0;
        return {
          name: v.name,
          curve: (pages: number) => at(h, pages),
          weight: v.weight,
          tolerance: v.tolerance,
          baseline: v.baseline,
          // Below V the hypervisor saw nothing: misses(b) ≥ misses(V), a safe (tighter) limit.
          ...(v.baseline < known ? { baselineMisses: at(h, known) } : {}),
          min: v.min,
          max: v.max,
        };
      }),
    });
    if (!r.feasible) {
      s.feasible = false;
      s.reason = `after epoch ${index}: ${r.reason}`;
      s.predicted = s.units.map(() => null);
      return;
    }
    s.feasible = true;
    s.reason = undefined;
    let changed = false;
    r.allocations.forEach((a, i) => {
      const u = s.units[i];
      const secs = epoch.vms[i].seconds;
      s.predicted[i] =
        objective === 'rate' ? a.predictedMisses * (secs > 0 ? secs : 1) : a.predictedMisses;
      if (a.pages === u.pages) return;
      changed = true;
      const [v, c] = split(a.pages);
      u.resize(v, c);
    });
    if (changed) s.reallocations++;
  }

  function esxReallocate(s: ControllerState, endTime: number): void {
    const samplers = s.esx as EsxOnlineSampler[];
    const estimates = samplers.map((x) => x.closePeriod(endTime).estimate);
    const r = esxAllocate(
      vms.map((v, i) => ({
        name: v.name,
        shares: v.shares,
        activePages: estimates[i],
        initial: v.max,
        min: v.min,
      })),
      { memory: M, quantum: q, tau },
    );
    if (!r.feasible) {
      s.feasible = false;
      s.reason = `at ${endTime} s: ${r.reason}`;
      samplers.forEach((x, i) => x.startPeriod(s.units[i].pages));
      return;
    }
    s.feasible = true;
    s.reason = undefined;
    let changed = false;
    r.allocations.forEach((a, i) => {
      const u = s.units[i];
      if (a.pages !== u.pages) {
        changed = true;
        u.resize(a.pages, 0);
      }
      samplers[i].startPeriod(a.pages);
    });
    if (changed) s.reallocations++;
  }

  if (inputs.some((vm) => vm.memory.policy !== 'lru'))
    notes.push(
      'a guest policy other than LRU: the oracle uses exact LRU curves and the hypervisor ranks assume an LRU guest, so both are approximations; achieved misses are simulated with the real policy',
    );
  if (inputs.some((vm) => vm.memory.warmup > 0))
    notes.push(
      'warm-up is not applied in online mode: every epoch is counted from the first reference, for every controller alike',
    );
  if (vms.every((v) => v.tolerance === Number.POSITIVE_INFINITY))
    notes.push('α = ∞ for every VM: no isolation constraint, so no violations can be counted');

  const controllers: OnlineControllerResult[] = states.map((s) => {
    const totalMisses = s.epochs.reduce((a, e) => a + e.misses, 0);
    const perVmSeconds = new Float64Array(n);
    const perVmMisses = new Float64Array(n);
    for (const e of s.epochs)
      e.vms.forEach((v, i) => {
        perVmSeconds[i] += v.seconds;
        perVmMisses[i] += v.misses;
      });
    let rate = 0;
    for (let i = 0; i < n; i++) if (perVmSeconds[i] > 0) rate += perVmMisses[i] / perVmSeconds[i];
    return {
      controller: s.controller,
      epochs: s.epochs,
      totalMisses,
      totalRefillMisses: s.epochs.reduce((a, e) => a + e.refillMisses, 0),
      missRate: rate,
      violations: s.epochs.reduce((a, e) => a + e.violations, 0),
      reallocations: s.reallocations,
      ...(s.esx === null
        ? {}
        : { esxPeriods: s.esx.map((x, i) => ({ name: vms[i].name, periods: x.periods })) }),
    };
  });
  return {
    memory: M,
    quantum: q,
    epochSeconds: epochLen,
    cacheShare: share,
    ghostPages: G,
    decay,
    objective,
    tau,
    esxPeriodSeconds: period,
    vms: vms.map((v) => ({
      name: v.name,
      min: v.min,
      max: v.max,
      baseline: v.baseline,
      tolerance: v.tolerance,
    })),
    controllers,
    notes,
  };
}
