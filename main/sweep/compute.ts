/** Computes one sweep task with the engine code every run uses, and records its outcome. */
import type { VmRunResult } from '../../shared/api/entities.js';
import { CancelledError, type RunControl } from '../engine/control.js';
import { runStep } from '../service/runs/step.js';
import { writeError, writeResultOnce } from './sweep-dir.js';
import type { SweepTask } from './task.js';

export function computeTask(task: SweepTask, control?: RunControl): Promise<VmRunResult> {
  // Trace paths in a task are absolute: the base folder is never used.
  return runStep({ experiment: task.experiment, baseDir: '/' }, control ?? {});
}

export type TaskOutcome =
  | { state: 'done'; created: boolean }
  | { state: 'failed'; message: string }
  | { state: 'cancelled' };

function isCancel(err: unknown, control?: RunControl): boolean {
  return (
    control?.signal?.aborted === true ||
    err instanceof CancelledError ||
    (err as Error)?.name === 'CancelledError'
  );
}

/** Computes the task and writes its result file (once) or its error file. */
export async function computeAndStore(
  dir: string,
  task: SweepTask,
  control?: RunControl,
): Promise<TaskOutcome> {
  let result: VmRunResult;
  try {
    result = await computeTask(task, control);
  } catch (err) {
    if (isCancel(err, control)) return { state: 'cancelled' };
    const message = err instanceof Error ? err.message : String(err);
    writeError(dir, task, message);
    return { state: 'failed', message };
  }
  return { state: 'done', created: writeResultOnce(dir, task, result) };
}
