/**
 * A sweep task: one VM simulated alone with the sweep's MRC methods (a curve task), or an
 * allocation of host memory among several such VMs (an allocation task, `kind: 'alloc'`).
 * Self-contained (absolute trace paths, every default filled in) and deterministic (every random
 * choice is seeded), so any machine computes the same result from the line of `tasks.jsonl` alone.
 */
import { createHash } from 'node:crypto';
import type { PolicyName } from '../../shared/schema/defaults.js';
import type { Experiment } from '../../shared/schema/experiment.js';
import type { SweepAllocMethod, SweepCrash } from '../../shared/schema/sweep.js';

export interface CurveTask {
  kind?: undefined;
  /** Position in tasks.jsonl, from 0. */
  index: number;
  /** `t00007`: the result file's name and the VM's name in the project. */
  id: string;
  sweep: string;
  /** Grid coordinates, for tables and plots. */
  source: string;
  sourceKind: 'trace' | 'workload';
  policy: PolicyName;
  guestPages: number;
  hvPages: number;
  ghostPages: number;
  seed: number;
  /** References the task reads (null when not counted). */
  references: number | null;
  /** The one-VM experiment the task runs (its VM is named `id`). */
  experiment: Experiment;
  /** A crash analysis of the same VM (seeded by `seed`); absent: none. */
  crash?: SweepCrash;
}

/** What an allocation task asks of the allocator (alloc.compute's request without the run). */
export interface SweepAllocRequest {
  memory: number;
  quantum?: number;
  tau?: number;
  /** α of every VM (the group's VMs keep their other settings). */
  vms: { name: string; tolerance: number | 'inf' }[];
  sources: SweepAllocMethod[];
  resimulate: boolean;
  bounds?: 'host' | 'allocation';
  objective?: 'misses' | 'rate';
}

/**
 * An allocation task: host memory M shared by every trace/workload of the grid under one
 * combination of policy, V, C, G and seed, with tolerance α. It computes each VM's curves itself
 * (as that VM's curve task does) and then allocates (service/api/alloc.ts `allocate`).
 */
export interface AllocTask {
  kind: 'alloc';
  /** Curve tasks' fields an allocation task does not have (it has `sources`). */
  source?: undefined;
  sourceKind?: undefined;
  crash?: undefined;
  index: number;
  id: string;
  sweep: string;
  policy: PolicyName;
  guestPages: number;
  hvPages: number;
  ghostPages: number;
  seed: number;
  memory: number;
  alpha: number | 'inf';
  /** References its VMs read in all (null when some trace was not counted). */
  references: number | null;
  /** The curve tasks of the group, in grid order: their ids are the VMs' names. */
  members: string[];
  /** Each member's trace or workload label, in the same order. */
  sources: string[];
  /** Every member's VM (each simulated alone with these methods, as in its curve task). */
  experiment: Experiment;
  request: SweepAllocRequest;
}

export type SweepTask = CurveTask | AllocTask;

export function isAllocTask(task: SweepTask): task is AllocTask {
  return task.kind === 'alloc';
}

export function isCurveTask(task: SweepTask): task is CurveTask {
  return task.kind !== 'alloc';
}

export function taskId(index: number): string {
  return `t${String(index).padStart(5, '0')}`;
}

/** The task's line in tasks.jsonl. */
export function taskLine(task: SweepTask): string {
  return JSON.stringify(task);
}

/** Identifies the task's content: a result computed for another content is stale. */
export function taskHash(task: SweepTask): string {
  return createHash('sha256').update(taskLine(task)).digest('hex').slice(0, 16);
}
