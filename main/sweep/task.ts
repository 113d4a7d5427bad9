/**
 * A sweep task: one VM simulated alone with the sweep's MRC methods. Self-contained (absolute
 * trace paths, every default filled in) and deterministic (every random choice is seeded), so any
 * machine computes the same result from the line of `tasks.jsonl` alone.
 */
import { createHash } from 'node:crypto';
import type { PolicyName } from '../../shared/schema/defaults.js';
import type { Experiment } from '../../shared/schema/experiment.js';
import type { SweepCrash } from '../../shared/schema/sweep.js';

export interface SweepTask {
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
