/**
 * Online adaptive allocation for an experiment's VMs (engine/alloc/online): maps the shared
 * schema (VM memory settings, allocation parameters, ESX settings) onto the engine's inputs, reads
 * each VM's workload into memory (the three controllers walk the same references), and runs the
 * loop. Used by `hclab allocate --online` and alloc.compute's `online` option.
 */
import type { Experiment, VmSpec } from '../../shared/schema/index.js';

/** What the loop needs of an experiment besides its VMs. */
export type OnlineExperiment = Pick<Experiment, 'pageSize' | 'esx'>;
import {
  onlineAllocation,
  type AllocObjective,
  type OnlineController,
  type OnlineResult,
} from '../engine/alloc/index.js';
import { checkpoint, type RunControl } from '../engine/control.js';
import type { RefChunk } from '../engine/trace/chunk.js';
import { memoryConfigOf, workloadSource } from './experiment-runner.js';

/** Per-VM allocation parameters (overrides of the VM's own fields). */
export interface OnlineVmParams {
  name: string;
  baseline?: number;
  /** α or 'inf'. */
  tolerance?: number | 'inf';
  weight?: number;
  shares?: number;
  min?: number;
  max?: number;
}

export interface OnlineParams {
  memory: number;
  quantum?: number;
  epochSeconds?: number;
  cacheShare?: number;
  ghostPages?: number;
  decay?: number;
  objective?: AllocObjective;
  tau?: number;
  /** ESX period in seconds of VM time (default: the experiment's esx.periodSeconds). */
  esxPeriodSeconds?: number;
  controllers?: OnlineController[];
  vms?: OnlineVmParams[];
}

function toleranceOf(t: number | 'inf' | undefined): number | undefined {
  if (t === undefined) return undefined;
  return t === 'inf' ? Number.POSITIVE_INFINITY : t;
}

/**
 * Runs the online loop over `specs` (the experiment's VMs, or copies whose workloads point at
 * temporary trace files). Bounds, baselines, tolerances, weights and shares come from `params.vms`
 * when given, else from the VM's fields (`minPages`, `maxPages`, `baselinePages`, `tolerance`,
 * `weight`, `shares`); unknown VM names are an error.
 */
export async function onlineForExperiment(
  experiment: OnlineExperiment,
  specs: readonly VmSpec[],
  baseDir: string,
  params: OnlineParams,
  control?: RunControl,
): Promise<OnlineResult> {
  for (const p of params.vms ?? [])
    if (!specs.some((s) => s.name === p.name))
      throw new Error(`vms: no VM named '${p.name}' (VMs: ${specs.map((s) => s.name).join(', ')})`);
  const inputs = [];
  for (const spec of specs) {
    control?.onStep?.(`online: reading ${spec.name}'s workload`);
    const src = await workloadSource(spec, baseDir, experiment.pageSize, control);
    const chunks: RefChunk[] = [];
    for await (const c of src.chunks as AsyncIterable<RefChunk>) chunks.push(c);
    await checkpoint(control);
    const p = params.vms?.find((x) => x.name === spec.name);
    inputs.push({
      name: spec.name,
      chunks,
      memory: memoryConfigOf(spec),
      weight: p?.weight ?? spec.weight,
      shares: p?.shares ?? spec.shares,
      tolerance: toleranceOf(p?.tolerance) ?? spec.tolerance,
      baseline: p?.baseline ?? spec.baselinePages,
      min: p?.min ?? spec.minPages,
      max: p?.max ?? spec.maxPages,
    });
  }
  return onlineAllocation(
    inputs,
    {
      memory: params.memory,
      quantum: params.quantum,
      epochSeconds: params.epochSeconds,
      cacheShare: params.cacheShare,
      ghostPages: params.ghostPages,
      decay: params.decay,
      objective: params.objective,
      tau: params.tau,
      esx: {
        ...experiment.esx,
        periodSeconds: params.esxPeriodSeconds ?? experiment.esx.periodSeconds,
      },
      controllers: params.controllers,
    },
    control,
  );
}
