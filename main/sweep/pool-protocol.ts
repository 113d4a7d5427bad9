/** Messages between the local sweep pool and its worker threads. */
import type { TaskOutcome } from './compute.js';
import type { SweepTask } from './task.js';

export type ToSweepWorker = { type: 'task'; dir: string; task: SweepTask } | { type: 'cancel' };

export type FromSweepWorker =
  | { type: 'progress'; done: number; total: number | null }
  | { type: 'outcome'; outcome: TaskOutcome };
