/**
 * alloc.compute: memory allocation across the VMs of a finished run (DESIGN.md §2 Allocation).
 *
 * MRC sources are the run's stored per-VM curves, sampled at the run's sizes and interpolated
 * linearly between sampled sizes (engine/alloc/curve.ts `fromSamples`): `exact` is taken as flat
 * past its last sampled size (it is sampled up to the footprint); `hypervisor` is defined only on
 * V .. V + C + G, so smaller or larger sizes are never choices for it. `esx` runs the ESX
 * shares/idle-tax allocator from each VM's final ESX active-memory estimate (static mode: the
 * estimate at the end of the run), with the VM's shares (not its weight).
 *
 * Fair comparison: the DP and ESX use the same per-VM bounds [min, max]; a VM without a configured
 * max gets M (`bounds: 'host'`, default: the DP may give it all of host memory, and ESX starts it
 * there and reclaims) or its V + C in the run (`bounds: 'allocation'`: ESX can only reclaim from
 * V + C, and the DP may not give more). The report lists the bounds used. Objective: misses, or
 * misses per second of VM time (`rate`: each curve divided by the VM's elapsed seconds).
 *
 * Every allocation is re-simulated from the run's VM snapshot with the VM's real guest policy
 * (the VM alone, guest memory = its allocation, no hypervisor cache). With an LRU guest the
 * curves are LRU curves of the same stream, so predicted = achieved holds by construction; such
 * results are flagged `byConstruction` and a note says so. Online mode (`online`) runs the
 * oracle, hypervisor-online and ESX controllers in one resizing timeline (service/online-alloc).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  AllocReport,
  AllocSource,
  AllocSourceResult,
  AllocVmParams,
  AllocVmResult,
} from '../../../shared/api/alloc.js';
import type { RunDetail, VmRunResult } from '../../../shared/api/entities.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { VmSpec } from '../../../shared/schema/vm.js';
import {
  adaptiveAllocation,
  allocQuantum,
  DEFAULT_TAU,
  esxAllocate,
  fromSamples,
  normalise,
  resimulate,
  solveAllocation,
  type AdaptiveVm,
  type AllocLimits,
  type AllocVm,
  type OnlineResult,
  type SizeCurve,
} from '../../engine/alloc/index.js';
import type { AllocObjective } from '../../engine/alloc/index.js';
import type { RunControl } from '../../engine/control.js';
import type { OnlineReport } from '../../../shared/api/alloc.js';
import type { RefChunk } from '../../engine/trace/chunk.js';
import { embeddedTraceId } from '../../store/repositories.js';
import type { ProjectStore } from '../../store/project-store.js';
import { memoryConfigOf, workloadSource } from '../experiment-runner.js';
import { onlineForExperiment } from '../online-alloc.js';
import { keepAnalysis } from './analyses.js';
import type { Handlers } from './context.js';

function nullable(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function curveOf(result: VmRunResult, method: 'exact' | 'hypervisor'): SizeCurve | null {
  const c = result.curves.find((x) => x.method === method);
  if (c === undefined) return null;
  return fromSamples(c.sizes, c.misses, method === 'exact' && c.maxSize === null);
}

interface VmInput {
  spec: VmSpec;
  result: VmRunResult;
  params: AllocVmParams | undefined;
}

interface Rules {
  memory: number;
  bounds: 'host' | 'allocation';
  objective: AllocObjective;
}

/** [min, max] of a VM, the same for every source. */
function boundsOf(v: VmInput, rules: Rules): { min: number; max: number } {
  const min = v.params?.min ?? v.spec.minPages ?? 0;
  const configured = v.params?.max ?? v.spec.maxPages;
  const fallback = rules.bounds === 'host' ? rules.memory : v.spec.guestPages + v.spec.hvPages;
  return { min, max: Math.min(configured ?? fallback, rules.memory) };
}

/** The curve in the objective's unit: misses, or misses per second of the VM's time. */
function scaled(curve: SizeCurve, v: VmInput, rules: Rules): SizeCurve {
  if (rules.objective === 'misses') return curve;
  const secs = secondsOf(v);
  if (!(secs > 0)) return () => Number.NaN;
  return (pages) => curve(pages) / secs;
}

function allocVm(v: VmInput, curve: SizeCurve, rules: Rules): AllocVm {
  const p = v.params;
  const tol = p?.tolerance ?? v.spec.tolerance;
  return {
    name: v.spec.name,
    curve: scaled(curve, v, rules),
    weight: p?.weight ?? v.spec.weight,
    tolerance: tol === 'inf' ? Number.POSITIVE_INFINITY : tol,
    baseline: p?.baseline ?? v.spec.baselinePages,
    ...boundsOf(v, rules),
  };
}

/** Undo {@link scaled} on a predicted value (rate → misses). */
function unscaled(x: number, v: VmInput, rules: Rules): number {
  return rules.objective === 'misses' ? x : x * secondsOf(v);
}

/** VM time the run covered (seconds; NaN when not stored as a number). */
function secondsOf(v: VmInput): number {
  const s: unknown = v.result.stats.elapsedSeconds;
  return typeof s === 'number' ? s : Number.NaN;
}

/** alloc.compute's parameters (the request with its defaults filled in, no job id). */
export interface AllocParams {
  runId: number;
  memory: number;
  quantum?: number;
  tau?: number;
  vms?: AllocVmParams[];
  sources: AllocSource[];
  resimulate: boolean;
  adaptive?: { epochSeconds?: number; epochRefs?: number; decay?: number };
  bounds?: 'host' | 'allocation';
  objective?: AllocObjective;
  online?: {
    epochSeconds?: number;
    cacheShare?: number;
    ghostPages?: number;
    decay?: number;
    esxPeriodSeconds?: number;
    controllers?: ('oracle' | 'hypervisor' | 'esx')[];
  };
  limits?: AllocLimits;
}

/** An embedded trace's file name, bytes and reader options (store.traces.get). */
type EmbeddedTrace = Pick<
  ReturnType<ProjectStore['traces']['get']>,
  'fileName' | 'bytes' | 'options'
>;

/**
 * What an allocation is computed from: a finished run's VMs and their results (curves, ESX
 * estimates), and where their workloads are (to re-simulate). A project's run, or a sweep's
 * allocation task that computed its VMs' curves itself (main/sweep/compute.ts).
 */
export interface AllocInput {
  run: Pick<RunDetail, 'id' | 'experiment' | 'vms' | 'results'>;
  /** Folder that relative trace paths are resolved against. */
  baseDir: string;
  /** The embedded trace with this id (`embedded:ID` workloads); absent: none is embedded. */
  embeddedTrace?: (id: number) => EmbeddedTrace;
}

/** alloc.compute on a run of the project (it must be finished). */
export async function computeAllocation(
  store: ProjectStore,
  params: AllocParams,
  /** Steps and progress of the computation (job.progress), and cancellation. */
  control?: RunControl,
): Promise<AllocReport> {
  const run: RunDetail = store.runs.get(params.runId);
  if (run.state !== 'done')
    throw new ApiError(
      'BAD_INPUT',
      `run ${run.id} is ${run.state}: allocation needs a finished run`,
    );
  return allocate(
    { run, baseDir: path.dirname(store.path), embeddedTrace: (id) => store.traces.get(id) },
    params,
    control,
  );
}

/** The allocation of `input`'s VMs (params.runId is not read: the run is `input.run`). */
export async function allocate(
  input: AllocInput,
  params: Omit<AllocParams, 'runId'>,
  control?: RunControl,
): Promise<AllocReport> {
  const { run } = input;
  const byName = new Map(run.vms.map((vm) => [vm.name, vm]));
  for (const p of params.vms ?? [])
    if (!byName.has(p.name))
      throw new ApiError('BAD_INPUT', `vms: run ${run.id} has no VM named '${p.name}'`);
  const inputs: VmInput[] = run.results.map((result) => {
    const spec = byName.get(result.name);
    if (spec === undefined) throw new ApiError('INTERNAL', `run ${run.id}: no VM ${result.name}`);
    return { spec, result, params: params.vms?.find((p) => p.name === result.name) };
  });
  const M = params.memory;
  const limits = params.limits ?? {};
  const sized = allocQuantum(M, inputs.length, params.quantum, limits.maxQuanta);
  const quantum = sized.quantum;
  const tau = params.tau ?? DEFAULT_TAU;
  const notes: string[] = sized.note === undefined ? [] : [sized.note];
  const rules: Rules = {
    memory: M,
    bounds: params.bounds ?? 'host',
    objective: params.objective ?? 'misses',
  };
  const exactCurves = inputs.map((v) => curveOf(v.result, 'exact'));
  const normal = normalise({
    memory: M,
    vms: inputs.map((v) => allocVm(v, () => Number.NaN, rules)),
  });
  const baselines = normal.map((vm) => ({ name: vm.name, pages: vm.baseline }));
  const bounds = normal.map((vm) => ({ name: vm.name, min: vm.min, max: vm.max }));

  const results: AllocSourceResult[] = [];
  let adaptive: AllocReport['adaptive'];
  for (const source of params.sources) {
    if (source === 'esx') {
      results.push(esxResult(inputs, exactCurves, M, quantum, tau, rules));
      continue;
    }
    const curves = inputs.map((v) => curveOf(v.result, source));
    const missing = inputs.findIndex((_, i) => curves[i] === null);
    if (missing >= 0) {
      results.push(
        infeasible(
          source,
          `${inputs[missing].spec.name}: the run has no ${source} curve (add the method to the experiment)`,
        ),
      );
      continue;
    }
    control?.onStep?.(`${source} DP`);
    const r = solveAllocation(
      {
        memory: M,
        quantum,
        maxQuanta: limits.maxQuanta,
        vms: inputs.map((v, i) => allocVm(v, curves[i] as SizeCurve, rules)),
      },
      control,
    );
    if (!r.feasible) {
      results.push(infeasible(source, r.reason));
      continue;
    }
    results.push({
      source,
      feasible: true,
      totalPredictedMisses: r.totalPredictedMisses,
      memorySlack: r.memorySlack,
      allocations: r.allocations.map((a, i) => ({
        name: a.name,
        pages: a.pages,
        predictedMisses: unscaled(a.predictedMisses, inputs[i], rules),
        baselinePages: a.baselinePages,
        baselineMisses: nullable(unscaled(a.baselineMisses, inputs[i], rules)),
        limit: nullable(unscaled(a.limit, inputs[i], rules)),
        slack: nullable(unscaled(a.slack, inputs[i], rules)),
      })),
    });
    const last = results[results.length - 1];
    last.totalPredictedMisses = last.allocations.reduce((t, a) => t + (a.predictedMisses ?? 0), 0);
  }

  let online: OnlineReport | undefined;
  if (params.resimulate || params.adaptive !== undefined || params.online !== undefined) {
    const workloads = await openWorkloads(input, inputs, notes);
    try {
      if (params.resimulate) {
        await resimulateAll(run, workloads, results, control);
        flagByConstruction(inputs, results, notes);
      }
      if (params.adaptive !== undefined) {
        adaptive = await adaptiveReport(
          run,
          inputs,
          workloads,
          M,
          quantum,
          { ...params.adaptive, limits },
          rules,
          control,
        );
      }
      if (params.online !== undefined) {
        const skipped = inputs.find((_, i) => workloads.specs[i] === null);
        if (skipped !== undefined)
          throw new ApiError(
            'BAD_INPUT',
            `online: ${skipped.spec.name} uses the opt policy, which needs the whole future`,
          );
        const r = await onlineForExperiment(
          run.experiment,
          workloads.specs as VmSpec[],
          workloads.baseDir,
          {
            memory: M,
            quantum,
            tau,
            objective: rules.objective,
            ...params.online,
            vms: inputs.map((v) => ({
              name: v.spec.name,
              baseline: v.params?.baseline,
              tolerance: v.params?.tolerance,
              weight: v.params?.weight,
              shares: v.params?.shares,
              ...boundsOf(v, rules),
            })),
          },
          control,
        );
        online = onlineReport(r);
      }
    } finally {
      await workloads.close();
    }
  }
  const bad = results.find((r) => !r.feasible);
  return {
    feasible: bad === undefined,
    ...(bad === undefined ? {} : { reason: `${bad.source}: ${bad.reason ?? 'infeasible'}` }),
    runId: run.id,
    memory: M,
    quantum,
    tau,
    baseline: baselines,
    bounds,
    boundsRule: rules.bounds,
    objective: rules.objective,
    results,
    ...(adaptive === undefined ? {} : { adaptive }),
    ...(online === undefined ? {} : { online }),
    notes,
  };
}

function infeasible(source: AllocSource, reason: string): AllocSourceResult {
  return {
    source,
    feasible: false,
    reason,
    totalPredictedMisses: null,
    memorySlack: null,
    allocations: [],
  };
}

function esxResult(
  inputs: VmInput[],
  exactCurves: (SizeCurve | null)[],
  M: number,
  quantum: number,
  tau: number,
  rules: Rules,
): AllocSourceResult {
  const noEsx = inputs.find((v) => v.result.esx === undefined);
  if (noEsx !== undefined)
    return infeasible(
      'esx',
      `${noEsx.spec.name}: the run has no ESX estimate (add the esx method to the experiment)`,
    );
  const r = esxAllocate(
    inputs.map((v) => {
      const esx = v.result.esx as NonNullable<VmRunResult['esx']>;
      const { min, max } = boundsOf(v, rules);
      return {
        name: v.spec.name,
        shares: v.params?.shares ?? v.spec.shares,
        activePages: esx.finalEstimate ?? esx.allocation,
        initial: max,
        min,
      };
    }),
    { memory: M, quantum, tau },
  );
  if (!r.feasible) return infeasible('esx', r.reason);
  // Predicted misses, baseline and slack of the ESX allocation on the exact curve (if stored).
  const norm = normalise({
    memory: M,
    vms: inputs.map((v, i) =>
      allocVm(v, exactCurves[i] ?? (() => Number.NaN), { ...rules, objective: 'misses' }),
    ),
  });
  const allocations: AllocVmResult[] = r.allocations.map((a, i) => {
    const predicted = norm[i].curve(a.pages);
    return {
      name: a.name,
      pages: a.pages,
      predictedMisses: nullable(predicted),
      baselinePages: norm[i].baseline,
      baselineMisses: nullable(norm[i].baselineMisses),
      limit: nullable(norm[i].limit),
      slack: nullable(norm[i].limit - predicted),
      activePages: inputs[i].result.esx?.finalEstimate ?? undefined,
      activeFraction: a.activeFraction,
    };
  });
  const total = allocations.reduce<number | null>(
    (s, a) => (s === null || a.predictedMisses === null ? null : s + a.predictedMisses),
    0,
  );
  return {
    source: 'esx',
    feasible: true,
    totalPredictedMisses: total,
    memorySlack: M - allocations.reduce((s, a) => s + a.pages, 0),
    allocations,
  };
}

/** Each VM's workload as the run saw it (embedded traces copied to a temp file); null: skipped. */
interface Workloads {
  specs: (VmSpec | null)[];
  baseDir: string;
  close(): Promise<void>;
}

async function openWorkloads(
  source: AllocInput,
  inputs: VmInput[],
  notes: string[],
): Promise<Workloads> {
  let tempDir: string | null = null;
  const specs: (VmSpec | null)[] = [];
  const close = async () => {
    if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
  };
  try {
    for (const v of inputs) {
      let spec = v.spec;
      if (spec.policy === 'opt') {
        notes.push(`${spec.name}: not re-simulated (the opt policy needs the whole future)`);
        specs.push(null);
        continue;
      }
      if (spec.workload.kind === 'trace') {
        const id = embeddedTraceId(spec.workload.trace);
        if (id !== null) {
          if (source.embeddedTrace === undefined)
            throw new ApiError('BAD_INPUT', `${spec.name}: an embedded trace needs its project`);
          const t = source.embeddedTrace(id);
          tempDir ??= await mkdtemp(path.join(os.tmpdir(), 'hclab-alloc-'));
          const file = path.join(tempDir, `${id}-${path.basename(t.fileName) || 'trace'}`);
          await writeFile(file, t.bytes);
          const { csv, ...options } = t.options;
          spec = {
            ...spec,
            workload: {
              ...options,
              ...(csv === undefined ? {} : { csv }),
              ...spec.workload,
              trace: file,
            },
          };
        }
      }
      specs.push(spec);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { specs, baseDir: source.baseDir, close };
}

async function resimulateAll(
  run: AllocInput['run'],
  workloads: Workloads,
  results: AllocSourceResult[],
  control: RunControl | undefined,
): Promise<void> {
  const cache = new Map<string, number | null>();
  for (const [i, spec] of workloads.specs.entries()) {
    for (const r of results) {
      if (!r.feasible) continue;
      const a = r.allocations[i];
      if (spec === null) {
        a.achievedMisses = null;
        continue;
      }
      const key = `${i}:${a.pages}`;
      if (!cache.has(key)) {
        control?.onStep?.(`re-simulating ${spec.name} at ${a.pages.toLocaleString('en-US')} pages`);
        const src = await workloadSource(spec, workloads.baseDir, run.experiment.pageSize);
        const sim = await resimulate(memoryConfigOf(spec), src.chunks, a.pages, control);
        cache.set(key, sim.misses);
      }
      a.achievedMisses = cache.get(key) ?? null;
    }
  }
  for (const r of results) {
    if (!r.feasible) continue;
    r.totalAchievedMisses = r.allocations.reduce<number | null>(
      (s, a) =>
        s === null || a.achievedMisses === null || a.achievedMisses === undefined
          ? null
          : s + a.achievedMisses,
      0,
    );
  }
}

async function adaptiveReport(
  run: AllocInput['run'],
  inputs: VmInput[],
  workloads: Workloads,
  memory: number,
  quantum: number,
  options: { epochSeconds?: number; epochRefs?: number; decay?: number; limits: AllocLimits },
  rules: Rules,
  control: RunControl | undefined,
): Promise<AllocReport['adaptive']> {
  const vms: AdaptiveVm[] = [];
  for (const [i, v] of inputs.entries()) {
    const spec = workloads.specs[i] ?? v.spec;
    control?.onStep?.(`adaptive: reading ${spec.name}'s workload`);
    const src = await workloadSource(spec, workloads.baseDir, run.experiment.pageSize, control);
    const chunks: RefChunk[] = [];
    for await (const c of src.chunks as AsyncIterable<RefChunk>) chunks.push(c);
    const a = allocVm(v, () => Number.NaN, rules);
    vms.push({
      name: a.name,
      chunks,
      weight: a.weight,
      tolerance: a.tolerance,
      baseline: a.baseline,
      min: a.min,
      max: a.max,
      untimedRate: spec.untimedRate,
    });
  }
  const { note, ...r } = adaptiveAllocation(vms, { memory, quantum, ...options }, control);
  void note; // the quantum was already sized for these VMs and limits
  return r;
}

/**
 * Flags results where predicted = achieved holds by construction: an LRU guest re-simulated at a
 * static allocation reproduces the LRU curve it was predicted from (exact, or the hypervisor's
 * where it is defined, or ESX's allocation priced on the exact curve).
 */
function flagByConstruction(
  inputs: VmInput[],
  results: AllocSourceResult[],
  notes: string[],
): void {
  let any = false;
  for (const r of results)
    r.allocations.forEach((a, i) => {
      const lru = inputs[i].spec.policy === 'lru' && inputs[i].spec.warmup === 0;
      a.byConstruction = lru && a.achievedMisses !== null && a.achievedMisses !== undefined;
      any ||= a.byConstruction;
    });
  if (any)
    notes.push(
      'predicted = achieved by construction for LRU guests: a static allocation re-simulated with an LRU guest reproduces the LRU curve it was predicted from, so agreement is not evidence (use a non-LRU guest policy, or online mode with changing allocations, to see them differ)',
    );
}

/** The engine's online result as the API sends it (α = ∞ → null). */
function onlineReport(r: OnlineResult): OnlineReport {
  return {
    ...r,
    vms: r.vms.map((v) => ({ ...v, tolerance: nullable(v.tolerance) })),
    controllers: r.controllers.map((c) => ({
      ...c,
      epochs: c.epochs.map((e) => ({
        ...e,
        vms: e.vms.map((v) => ({ ...v, baselineMisses: nullable(v.baselineMisses) })),
      })),
    })),
  };
}

export const allocHandlers: Handlers<'alloc.compute'> = {
  'alloc.compute': async ({ jobId, ...params }, ctx) => {
    const store = ctx.store();
    // Computed in a job worker: the event loop stays free (other calls, signals). With a jobId,
    // its progress is sent as job.progress events and job.cancel stops it.
    const report = await ctx.jobs.run<AllocReport>(
      { kind: 'alloc', project: store.path, params },
      jobId === undefined
        ? {}
        : {
            id: jobId,
            onProgress: (p) => ctx.emit({ event: 'job.progress', payload: { jobId, ...p } }),
          },
    );
    const run = store.runs.summary(params.runId);
    const title =
      `run #${run.id} ${run.experimentName}: M = ${params.memory.toLocaleString('en-US')} pages, ` +
      `${params.sources.join(' + ')}${params.adaptive === undefined ? '' : ', adaptive'}` +
      `${params.online === undefined ? '' : ', online'}`;
    return keepAnalysis(store, ctx, {
      kind: 'alloc',
      title,
      runId: run.id,
      vmName: null,
      params,
      report,
    });
  },
};
