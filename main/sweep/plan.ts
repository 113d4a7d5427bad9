/**
 * Expands a sweep file into tasks: traces (globs resolved against the sweep file's folder, in
 * sorted order) and workloads × policies × V × C × G × seeds, then the explicit runs, then the
 * allocation tasks (policies × V × C × G × seeds × memory × α, each over every trace/workload of
 * the grid). Every task carries complete experiments, so it can be computed anywhere from its
 * line alone.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { ExperimentSchema } from '../../shared/schema/experiment.js';
import { ValidationError, validate, type Problem } from '../../shared/schema/format.js';
import { parseDocument } from '../../shared/schema/parse.js';
import {
  SweepSchema,
  type Sweep,
  type SweepRun,
  type SweepTrace,
} from '../../shared/schema/sweep.js';
import { VmWorkloadSchema, type VmWorkload } from '../../shared/schema/vm.js';
import {
  WorkloadSpecSchema,
  workloadRefs,
  type WorkloadSpec,
} from '../../shared/schema/workload.js';
import { allocQuantum } from '../engine/alloc/index.js';
import { openTrace, type TraceReadOptions } from '../engine/trace/index.js';
import { parseWorkloadSpec } from '../engine/workload/spec.js';
import { SWEEP_FILE, TASKS_FILE, SweepDirError, doneIds, type SweepMeta } from './sweep-dir.js';
import {
  taskId,
  taskLine,
  type AllocTask,
  type CurveTask,
  type SweepAllocRequest,
  type SweepTask,
} from './task.js';

export async function loadSweep(file: string): Promise<Sweep> {
  const text = await readFile(file, 'utf8');
  const data = parseDocument(text, file);
  if (data === null || data === undefined)
    throw new ValidationError(file, [{ path: '', message: 'the file is empty' }]);
  return validate(SweepSchema, data, file);
}

/** A source of references: a trace file or a generated workload (with or without own seed). */
interface Source {
  label: string;
  kind: 'trace' | 'workload';
  /** The VM workload for a given task seed. */
  workload(seed: number): VmWorkload;
  references: number | null;
}

function fail(file: string, where: string, message: string): never {
  throw new ValidationError(file, [{ path: where, message }]);
}

function traceSources(file: string, baseDir: string, t: SweepTrace, where: string): Source[] {
  const { path: pattern, ...options } = t;
  let files: string[];
  if (isDynamicPattern(pattern)) {
    files = globSync(pattern, {
      cwd: baseDir,
      absolute: true,
      onlyFiles: true,
      expandDirectories: false,
    });
    files.sort();
    if (files.length === 0)
      fail(
        file,
        `${where}.path`,
        `no file matches ${JSON.stringify(pattern)} (relative to ${baseDir})`,
      );
  } else {
    const abs = path.resolve(baseDir, pattern);
    if (!existsSync(abs)) fail(file, `${where}.path`, `no such file: ${abs}`);
    files = [abs];
  }
  return files.map((abs) => ({
    label: path.relative(baseDir, abs) || abs,
    kind: 'trace' as const,
    workload: () => ({ kind: 'trace', trace: abs, ...options }) as VmWorkload,
    references: null,
  }));
}

function hasOwnSeed(w: unknown): boolean {
  if (typeof w === 'string') return /(^|[:,])\s*seed\s*=/.test(w);
  return typeof w === 'object' && w !== null && 'seed' in w;
}

function workloadSource(file: string, w: unknown, where: string): Source {
  let spec: WorkloadSpec;
  try {
    if (typeof w === 'string') spec = parseWorkloadSpec(w);
    else {
      const input = w as Record<string, unknown>;
      spec = validate(
        WorkloadSpecSchema,
        'kind' in input || !('preset' in input) ? input : { kind: 'preset', ...input },
        where,
      );
    }
  } catch (err) {
    if (err instanceof ValidationError) {
      const problems: Problem[] = err.problems.map((p) =>
        typeof w === 'string'
          ? {
              path: where,
              message: `${JSON.stringify(w)}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`,
            }
          : { path: p.path === '' ? where : `${where}.${p.path}`, message: p.message },
      );
      throw new ValidationError(file, problems);
    }
    throw err;
  }
  const own = hasOwnSeed(w);
  return {
    label: typeof w === 'string' ? w.trim() : JSON.stringify(w),
    kind: 'workload',
    workload: (seed) => (own ? spec : { ...spec, seed }),
    references: workloadRefs(spec),
  };
}

/** Counts a trace's references (with its skip/limit) by reading it once. */
async function countReferences(source: Source, pageSize: number): Promise<number> {
  const w = source.workload(0) as { trace: string; format?: string } & Record<string, unknown>;
  const { kind: _k, trace, ...rest } = w;
  const trace0 = await openTrace(trace, { pageSize, ...(rest as TraceReadOptions) });
  let n = 0;
  for await (const chunk of trace0.chunks()) n += chunk.length;
  return n;
}

export interface PlanOptions {
  /** Read every trace once to count its references (default true). */
  countTraces?: boolean;
}

export interface Plan {
  sweep: Sweep;
  tasks: SweepTask[];
  /** Σ references over tasks; null when some trace was not counted. */
  references: number | null;
}

export async function planSweep(file: string, options: PlanOptions = {}): Promise<Plan> {
  const abs = path.resolve(file);
  const sweep = await loadSweep(abs);
  const baseDir = path.dirname(abs);
  const grid: Source[] = [];
  sweep.traces?.forEach((t, i) => grid.push(...traceSources(abs, baseDir, t, `traces[${i}]`)));
  sweep.workloads?.forEach((w, i) => grid.push(workloadSource(abs, w, `workloads[${i}]`)));
  if (options.countTraces !== false) {
    const counted = new Map<string, number>();
    for (const s of grid) {
      if (s.kind !== 'trace') continue;
      const key = JSON.stringify(s.workload(0));
      if (!counted.has(key)) counted.set(key, await countReferences(s, sweep.pageSize));
      s.references = counted.get(key) ?? null;
    }
  }

  const tasks: SweepTask[] = [];
  const add = (
    s: Source,
    policy: Sweep['policies'][number],
    guestPages: number,
    hvPages: number,
    ghostPages: number,
    seed: number,
  ): CurveTask => {
    const index = tasks.length;
    const id = taskId(index);
    const task = curveTask(sweep, s, index, id, policy, guestPages, hvPages, ghostPages, seed);
    tasks.push(task);
    return task;
  };
  /** Curve tasks of the grid by (policy, V, C, G, seed), in grid order: the allocation groups. */
  const groups = new Map<string, CurveTask[]>();
  for (const s of grid)
    for (const policy of sweep.policies)
      for (const v of sweep.guestPages)
        for (const c of sweep.hvPages)
          for (const g of sweep.ghostPages)
            for (const seed of sweep.seeds) {
              const key = JSON.stringify([policy, v, c, g, seed]);
              const t = add(s, policy, v, c, g, seed);
              groups.set(key, [...(groups.get(key) ?? []), t]);
            }
  for (const [i, r] of (sweep.runs ?? []).entries()) {
    const where = `runs[${i}]`;
    const sources: Source[] =
      r.trace !== undefined
        ? traceSources(abs, baseDir, r.trace, `${where}.trace`)
        : [workloadSource(abs, r.workload, `${where}.workload`)];
    for (const s of sources) {
      if (s.kind === 'trace' && options.countTraces !== false)
        s.references = await countReferences(s, sweep.pageSize);
      add(s, ...runAxes(sweep, r));
    }
  }
  if (sweep.allocation !== undefined) {
    checkAllocation(abs, sweep, grid.length);
    for (const members of groups.values())
      for (const memory of sweep.allocation.memory)
        for (const alpha of sweep.allocation.alpha)
          tasks.push(allocTask(sweep, tasks.length, members, memory, alpha));
  }
  const references = tasks.every((t) => t.references !== null)
    ? tasks.reduce((sum, t) => sum + (t.references ?? 0), 0)
    : null;
  return { sweep, tasks, references };
}

function curveTask(
  sweep: Sweep,
  s: Source,
  index: number,
  id: string,
  policy: Sweep['policies'][number],
  guestPages: number,
  hvPages: number,
  ghostPages: number,
  seed: number,
): CurveTask {
  const workload = VmWorkloadSchema.parse(s.workload(seed));
  const experiment = ExperimentSchema.parse({
    name: `${sweep.name}/${id}`,
    pageSize: sweep.pageSize,
    vms: [
      {
        name: id,
        workload,
        guestPages,
        hvPages,
        ghostPages,
        policy,
        admissionFailure: sweep.admissionFailure,
        admissionSeed: seed,
        untimedRate: sweep.untimedRate,
        warmup: sweep.warmup,
      },
    ],
    methods: sweep.methods,
    sizes: sweep.sizes,
    esx: { ...sweep.esx, seed },
    shards: sweep.shards,
  });
  return {
    index,
    id,
    sweep: sweep.name,
    source: s.label,
    sourceKind: s.kind,
    policy,
    guestPages,
    hvPages,
    ghostPages,
    seed,
    references: s.references,
    experiment,
    ...(sweep.crash === undefined ? {} : { crash: sweep.crash }),
  };
}

/** One clear line when the grid cannot be allocated (too few or too many VMs per group). */
function checkAllocation(file: string, sweep: Sweep, vms: number): void {
  const a = sweep.allocation;
  if (a === undefined) return;
  if (vms < 2)
    fail(
      file,
      'allocation',
      `needs at least 2 VMs to share memory: every trace/workload of the grid is one VM of each allocation (explicit runs take no part), and the grid has ${vms}`,
    );
  for (const [i, memory] of a.memory.entries()) {
    try {
      allocQuantum(memory, vms, a.quantum);
    } catch (err) {
      fail(file, `allocation.memory[${i}]`, err instanceof Error ? err.message : String(err));
    }
  }
}

function allocTask(
  sweep: Sweep,
  index: number,
  members: CurveTask[],
  memory: number,
  alpha: number | 'inf',
): AllocTask {
  const a = sweep.allocation as NonNullable<Sweep['allocation']>;
  const first = members[0];
  const id = taskId(index);
  const methods: readonly string[] = sweep.methods;
  const request: SweepAllocRequest = {
    memory,
    ...(a.quantum === undefined ? {} : { quantum: a.quantum }),
    ...(a.tau === undefined ? {} : { tau: a.tau }),
    vms: members.map((m) => ({ name: m.id, tolerance: alpha })),
    sources:
      a.methods ?? (['exact', 'hypervisor', 'esx'] as const).filter((m) => methods.includes(m)),
    resimulate: a.resimulate,
    ...(a.bounds === undefined ? {} : { bounds: a.bounds }),
    ...(a.objective === undefined ? {} : { objective: a.objective }),
  };
  return {
    kind: 'alloc',
    index,
    id,
    sweep: sweep.name,
    policy: first.policy,
    guestPages: first.guestPages,
    hvPages: first.hvPages,
    ghostPages: first.ghostPages,
    seed: first.seed,
    memory,
    alpha,
    references: members.every((m) => m.references !== null)
      ? members.reduce((sum, m) => sum + (m.references ?? 0), 0)
      : null,
    members: members.map((m) => m.id),
    sources: members.map((m) => m.source),
    experiment: {
      ...first.experiment,
      name: `${sweep.name}/${id}`,
      vms: members.map((m) => m.experiment.vms[0]),
    },
    request,
  };
}

function runAxes(
  sweep: Sweep,
  r: SweepRun,
): [Sweep['policies'][number], number, number, number, number] {
  return [
    r.policy ?? sweep.policies[0],
    r.guestPages ?? sweep.guestPages[0],
    r.hvPages ?? sweep.hvPages[0],
    r.ghostPages ?? sweep.ghostPages[0],
    r.seed ?? sweep.seeds[0],
  ];
}

/**
 * Writes `DIR/tasks.jsonl` and `DIR/sweep.json`. Planning again into a directory with the same
 * tasks changes nothing; planning different tasks into a directory that has results is refused.
 */
export function writePlan(dir: string, sweepFile: string, plan: Plan): 'written' | 'unchanged' {
  mkdirSync(dir, { recursive: true });
  const text = plan.tasks.map(taskLine).join('\n') + '\n';
  const tasksFile = path.join(dir, TASKS_FILE);
  if (existsSync(tasksFile)) {
    if (readFileSync(tasksFile, 'utf8') === text) return 'unchanged';
    if (doneIds(dir).size > 0)
      throw new SweepDirError(
        `${dir} holds results of other tasks; plan into a new directory (or delete ${dir})`,
      );
  }
  const meta: SweepMeta = {
    name: plan.sweep.name,
    sweepFile: path.resolve(sweepFile),
    tasks: plan.tasks.length,
    references: plan.references,
  };
  atomicWrite(tasksFile, text);
  atomicWrite(path.join(dir, SWEEP_FILE), JSON.stringify(meta, null, 2) + '\n');
  return 'written';
}

function atomicWrite(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { flush: true });
  renameSync(temp, file);
}
