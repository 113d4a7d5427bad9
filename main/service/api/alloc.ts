/**
 * alloc.compute: memory allocation across the VMs of a finished run (DESIGN.md §2 Allocation).
 *
 * MRC sources are the run's stored per-VM curves, sampled at the run's sizes and interpolated
 * linearly between sampled sizes (engine/alloc/curve.ts `fromSamples`): `exact` is taken as flat
 * past its last sampled size (it is sampled up to the footprint); `hypervisor` is defined only on
 * V .. V + C + G, so smaller or larger sizes are never choices for it. `esx` runs the ESX
 * shares/idle-tax allocator from each VM's final ESX active-memory estimate, starting from the
 * VM's allocation in the run (V + C, or its max bound). Every allocation is re-simulated from the
 * run's VM snapshot (the VM alone, guest memory = its allocation, no hypervisor cache).
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
  DEFAULT_TAU,
  defaultQuantum,
  esxAllocate,
  fromSamples,
  normalise,
  resimulate,
  solveAllocation,
  type AdaptiveVm,
  type AllocVm,
  type SizeCurve,
} from '../../engine/alloc/index.js';
import type { RefChunk } from '../../engine/trace/chunk.js';
import { embeddedTraceId } from '../../store/repositories.js';
import type { ProjectStore } from '../../store/project-store.js';
import { memoryConfigOf, workloadSource } from '../experiment-runner.js';
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

function allocVm(v: VmInput, curve: SizeCurve): AllocVm {
  const p = v.params;
  const tol = p?.tolerance ?? v.spec.tolerance;
  return {
    name: v.spec.name,
    curve,
    weight: p?.weight ?? v.spec.weight,
    tolerance: tol === 'inf' ? Number.POSITIVE_INFINITY : tol,
    baseline: p?.baseline ?? v.spec.baselinePages,
    min: p?.min ?? v.spec.minPages,
    max: p?.max ?? v.spec.maxPages,
  };
}

export async function computeAllocation(
  store: ProjectStore,
  params: {
    runId: number;
    memory: number;
    quantum?: number;
    tau?: number;
    vms?: AllocVmParams[];
    sources: AllocSource[];
    resimulate: boolean;
    adaptive?: { epochSeconds?: number; epochRefs?: number; decay?: number };
  },
): Promise<AllocReport> {
  const run: RunDetail = store.runs.get(params.runId);
  if (run.state !== 'done')
    throw new ApiError(
      'BAD_INPUT',
      `run ${run.id} is ${run.state}: allocation needs a finished run`,
    );
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
  const quantum = params.quantum ?? defaultQuantum(M);
  const tau = params.tau ?? DEFAULT_TAU;
  const notes: string[] = [];
  const exactCurves = inputs.map((v) => curveOf(v.result, 'exact'));
  const baselines = normalise({
    memory: M,
    vms: inputs.map((v) => allocVm(v, () => Number.NaN)),
  }).map((vm) => ({ name: vm.name, pages: vm.baseline }));

  const results: AllocSourceResult[] = [];
  let adaptive: AllocReport['adaptive'];
  for (const source of params.sources) {
    if (source === 'esx') {
      results.push(esxResult(inputs, exactCurves, M, quantum, tau));
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
    const r = solveAllocation({
      memory: M,
      quantum,
      vms: inputs.map((v, i) => allocVm(v, curves[i] as SizeCurve)),
    });
    if (!r.feasible) {
      results.push(infeasible(source, r.reason));
      continue;
    }
    results.push({
      source,
      feasible: true,
      totalPredictedMisses: r.totalPredictedMisses,
      memorySlack: r.memorySlack,
      allocations: r.allocations.map((a) => ({
        name: a.name,
        pages: a.pages,
        predictedMisses: a.predictedMisses,
        baselinePages: a.baselinePages,
        baselineMisses: nullable(a.baselineMisses),
        limit: nullable(a.limit),
        slack: nullable(a.slack),
      })),
    });
  }

  if (params.resimulate || params.adaptive !== undefined) {
    const workloads = await openWorkloads(store, inputs, notes);
    try {
      if (params.resimulate) await resimulateAll(run, workloads, results);
      if (params.adaptive !== undefined) {
        adaptive = await adaptiveReport(run, inputs, workloads, M, quantum, params.adaptive);
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
    results,
    ...(adaptive === undefined ? {} : { adaptive }),
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
      const max = v.params?.max ?? v.spec.maxPages;
      return {
        name: v.spec.name,
        shares: v.params?.weight ?? v.spec.weight,
        activePages: esx.finalEstimate ?? esx.allocation,
        initial: max ?? esx.allocation,
        min: v.params?.min ?? v.spec.minPages,
      };
    }),
    { memory: M, quantum, tau },
  );
  if (!r.feasible) return infeasible('esx', r.reason);
  // Predicted misses, baseline and slack of the ESX allocation on the exact curve (if stored).
  const norm = normalise({
    memory: M,
    vms: inputs.map((v, i) => allocVm(v, exactCurves[i] ?? (() => Number.NaN))),
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
  store: ProjectStore,
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
          const t = store.traces.get(id);
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
  return { specs, baseDir: path.dirname(store.path), close };
}

async function resimulateAll(
  run: RunDetail,
  workloads: Workloads,
  results: AllocSourceResult[],
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
        const src = await workloadSource(spec, workloads.baseDir, run.experiment.pageSize);
        const sim = await resimulate(memoryConfigOf(spec), src.chunks, a.pages);
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
  run: RunDetail,
  inputs: VmInput[],
  workloads: Workloads,
  memory: number,
  quantum: number,
  options: { epochSeconds?: number; epochRefs?: number; decay?: number },
): Promise<AllocReport['adaptive']> {
  const vms: AdaptiveVm[] = [];
  for (const [i, v] of inputs.entries()) {
    const spec = workloads.specs[i] ?? v.spec;
    const src = await workloadSource(spec, workloads.baseDir, run.experiment.pageSize);
    const chunks: RefChunk[] = [];
    for await (const c of src.chunks as AsyncIterable<RefChunk>) chunks.push(c);
    const a = allocVm(v, () => Number.NaN);
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
  const r = adaptiveAllocation(vms, { memory, quantum, ...options });
  return r;
}

export const allocHandlers: Handlers<'alloc.compute'> = {
  'alloc.compute': (params, ctx) => computeAllocation(ctx.store(), params),
};
