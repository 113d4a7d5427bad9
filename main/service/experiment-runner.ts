/**
 * Runs an experiment file: opens each VM's trace (relative to the experiment file) or builds
 * its generated workload, simulates all VMs on one host in simulated time with the requested
 * MRC methods, and returns a serialisable result. The one place that maps the shared schema
 * onto engine configuration.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseExperiment, type Experiment, type VmSpec } from '../../shared/schema/index.js';
import { vmMemoryConfig, type VmMemoryConfig } from '../engine/config.js';
import type { RunControl } from '../engine/control.js';
import { simulateHost, simulateVm, type ChunkSource, type HostVmSpec } from '../engine/host.js';
import { compareIo, type IoComparison } from '../engine/hypervisor/io-comparison.js';
import type { VmStats } from '../engine/hypervisor/stats.js';
import type { MissCurve, MrcMethod } from '../engine/mrc/curve.js';
import { ShardsMrc } from '../engine/mrc/shards.js';
import { defaultSizes } from '../engine/mrc/sizes.js';
import { computeNextUse } from '../engine/policy/create-policy.js';
import { concatChunks, chunksOf, guestReferences, type RefChunk } from '../engine/trace/chunk.js';
import { isTraceFormat, openTrace, type TraceReadOptions } from '../engine/trace/index.js';
import { generateWorkload } from '../engine/workload/generate.js';
import { workloadRefs } from '../../shared/schema/workload.js';
import {
  esxReport,
  reportCurves,
  truthMethod,
  type CurveReport,
  type EsxReport,
  type MrcReport,
} from './mrc-report.js';
import { PolicyCurves } from './policy-curves.js';

export interface ExperimentVmResult {
  name: string;
  stats: VmStats;
  /** Disk reads and writes with (V, C) against V + C guest pages and no cache. */
  io: IoComparison;
  curves: CurveReport[];
  /** The true curve the others are scored against (exact for LRU, policy otherwise). */
  truth: MrcMethod | null;
  esx?: EsxReport;
  minisim?: MrcReport['minisim'];
}

export interface ExperimentResult {
  experiment: string;
  references: number;
  vms: ExperimentVmResult[];
}

export async function loadExperiment(file: string): Promise<Experiment> {
  return parseExperiment(await readFile(file, 'utf8'), file);
}

export function memoryConfigOf(vm: VmSpec): VmMemoryConfig {
  return vmMemoryConfig({
    guestPages: vm.guestPages,
    policy: vm.policy,
    activeFraction: vm.activeFraction,
    untimedRate: vm.untimedRate,
    warmup: vm.warmup,
    writeback: vm.writeback,
    hypervisor: {
      pages: vm.hvPages,
      ghostPages: vm.ghostPages,
      admissionFailure: vm.admissionFailure,
      seed: vm.admissionSeed,
      forgetFailed: vm.hvForgetFailed,
      costs: vm.costs,
    },
  });
}

/** The VM's reference stream: a trace file (relative to `baseDir`) or a generated workload. */
export async function workloadSource(
  vm: VmSpec,
  baseDir: string,
  pageSize: number,
  control?: RunControl,
): Promise<{ chunks: ChunkSource; expectedRefs?: number }> {
  const w = vm.workload;
  if (w.kind === 'trace') {
    const { kind: _kind, trace, format, ...rest } = w;
    if (format !== undefined && !isTraceFormat(format))
      throw new Error(`vms.${vm.name}.workload.format: unknown trace format '${format}'`);
    const options: TraceReadOptions = { pageSize, ...(rest as TraceReadOptions) };
    if (format !== undefined) options.format = format;
    const source = await openTrace(path.resolve(baseDir, trace), options);
    const onInput = control?.onInput;
    return {
      chunks: source.chunks({
        signal: control?.signal,
        onProgress:
          onInput === undefined ? undefined : (bytes, total) => onInput(bytes, total ?? 0),
      }),
    };
  }
  return { chunks: generateWorkload(w), expectedRefs: workloadRefs(w) };
}

/**
 * Simulates every VM of the experiment together. `exact`, `hypervisor` and `esx` ride on the
 * host simulation; `shards`, `policy` and `minisim` are fed from the same chunks as they pass
 * (the latter two after the pass when the sizes depend on the footprint).
 */
export async function runExperiment(
  exp: Experiment,
  baseDir: string,
  control?: RunControl,
): Promise<ExperimentResult> {
  const methods = new Set<MrcMethod>(exp.methods);
  const shardsPerVm: (ShardsMrc | null)[] = [];
  const simsPerVm: PolicyCurves[] = [];
  try {
    return await simulateAll();
  } catch (err) {
    await Promise.all(simsPerVm.map((x) => x.dispose()));
    throw err;
  }

  async function simulateAll(): Promise<ExperimentResult> {
    const distinct: number[] = [];
    const specs: HostVmSpec[] = [];
    /** The same workload again, for the run without a cache. */
    const again: (() => Promise<ChunkSource>)[] = [];
    for (const [i, vm] of exp.vms.entries()) {
      const memory = memoryConfigOf(vm);
      const src = await workloadSource(vm, baseDir, exp.pageSize, control);
      let chunks: ChunkSource = src.chunks;
      let policyOptions;
      if (vm.policy === 'opt') {
        // OPT needs the future: the whole stream in memory and each reference's next use.
        const all: RefChunk[] = [];
        for await (const c of chunks) all.push(c);
        const trace = concatChunks(all);
        policyOptions = { nextUse: computeNextUse(trace.pages) };
        chunks = chunksOf(trace);
        again.push(() => Promise.resolve(chunksOf(trace)));
      } else {
        again.push(async () => (await workloadSource(vm, baseDir, exp.pageSize, control)).chunks);
      }
      const shards = methods.has('shards') ? new ShardsMrc(exp.shards, vm.warmup) : null;
      shardsPerVm.push(shards);
      const sims = new PolicyCurves({
        methods,
        policy: vm.policy,
        sizes: exp.sizes,
        minisim: exp.minisim,
        warmup: vm.warmup,
      });
      simsPerVm.push(sims);
      distinct.push(0);
      specs.push({
        name: vm.name,
        memory,
        workload: observe(chunks, (chunk) => {
          // Direct-I/O writes are not references of guest memory.
          const guestRefs = guestReferences(chunk);
          shards?.feed(guestRefs);
          sims.feed(guestRefs);
          const pages = chunk.pages;
          let d = distinct[i];
          for (let k = 0; k < chunk.length; k++) if (pages[k] >= d) d = pages[k] + 1;
          distinct[i] = d;
        }),
        expectedRefs: src.expectedRefs,
        policyOptions,
        recorders: {
          exact: methods.has('exact'),
          hypervisor: methods.has('hypervisor'),
          esx: methods.has('esx') ? exp.esx : false,
        },
      });
    }
    const host = await simulateHost(specs, control);
    // The same VMs with all V + C pages as guest memory and no hypervisor cache: each VM alone
    // (VMs share nothing, so interleaving does not matter), skipped where C = 0 (the same run).
    const baselines: VmStats[] = [];
    for (const [i, r] of host.vms.entries()) {
      const vm = exp.vms[i];
      if (vm.hvPages === 0) {
        baselines.push(r.stats);
        continue;
      }
      const memory = memoryConfigOf({ ...vm, guestPages: vm.guestPages + vm.hvPages, hvPages: 0 });
      const base = await simulateVm(memory, await again[i](), {
        name: vm.name,
        policyOptions: specs[i].policyOptions,
        control: control === undefined ? undefined : { signal: control.signal },
      });
      baselines.push(base.stats);
    }
    const vms: ExperimentVmResult[] = [];
    for (const [i, r] of host.vms.entries()) {
      const vm = exp.vms[i];
      const curves = new Map<MrcMethod, MissCurve>();
      if (r.curves.exact) curves.set('exact', r.curves.exact);
      if (r.curves.hypervisor) curves.set('hypervisor', r.curves.hypervisor);
      if (r.curves.esx) curves.set('esx', r.curves.esx);
      const shards = shardsPerVm[i];
      if (shards !== null) curves.set('shards', shards.curve());
      const points = [
        vm.guestPages,
        vm.guestPages + vm.hvPages,
        vm.guestPages + vm.hvPages + vm.ghostPages,
      ];
      const sizes = exp.sizes ?? defaultSizes(distinct[i], points);
      const simulated = await simsPerVm[i].finish(sizes, control);
      for (const [m, curve] of simulated.curves) curves.set(m, curve);
      const truth = truthMethod(vm.policy, curves);
      vms.push({
        name: r.name,
        stats: r.stats,
        io: compareIo(r.stats, baselines[i]),
        curves: reportCurves(exp.methods, curves, sizes, points, truth),
        truth,
        esx: r.esx === undefined ? undefined : esxReport(r.esx),
        ...(simulated.minisim === undefined ? {} : { minisim: simulated.minisim }),
      });
    }
    return { experiment: exp.name, references: host.references, vms };
  }
}

async function* observe(
  source: ChunkSource,
  see: (chunk: RefChunk) => void,
): AsyncGenerator<RefChunk> {
  for await (const chunk of source as AsyncIterable<RefChunk>) {
    see(chunk);
    yield chunk;
  }
}
