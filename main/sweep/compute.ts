/** Computes one sweep task with the engine code every run uses, and records its outcome. */
import type { CrashReport } from '../../shared/api/crash.js';
import type { VmRunResult } from '../../shared/api/entities.js';
import { CancelledError, type RunControl } from '../engine/control.js';
import { crashReport, runCrashAnalysis } from '../service/api/crash.js';
import { workloadSource } from '../service/experiment-runner.js';
import { runStep } from '../service/runs/step.js';
import { writeError, writeResultOnce } from './sweep-dir.js';
import type { SweepTask } from './task.js';

export function computeTask(task: SweepTask, control?: RunControl): Promise<VmRunResult> {
  // Trace paths in a task are absolute: the base folder is never used.
  return runStep({ experiment: task.experiment, baseDir: '/' }, control ?? {});
}

/** The task's crash analysis (as `hclab crash` on its VM), with a temporary hv-log log. */
export async function computeCrash(task: SweepTask, control?: RunControl): Promise<CrashReport> {
  const crash = task.crash;
  if (crash === undefined) throw new Error(`task ${task.id} has no crash analysis`);
  const vm = task.experiment.vms[0];
  const src = await workloadSource(vm, '/', task.experiment.pageSize, control);
  const result = await runCrashAnalysis(
    {
      chunks: src.chunks,
      vmName: vm.name,
      timeline: {
        guestPages: vm.guestPages,
        policy: vm.policy === 'opt' ? 'lru' : vm.policy,
        writeback: { dirtyExpire: vm.writeback.dirtyExpire, interval: vm.writeback.interval },
        untimedRate: vm.untimedRate,
      },
      options: {
        strategies: crash.strategies,
        trials: crash.trials,
        seed: task.seed,
        logFlushSeconds: crash.logFlushMs / 1000,
        pCorrupt: crash.pCorrupt,
        powerFailure: crash.powerFailure,
        pageSize: task.experiment.pageSize,
      },
    },
    control,
  );
  return JSON.parse(JSON.stringify(crashReport(result))) as CrashReport;
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
  let crash: CrashReport | undefined;
  try {
    result = await computeTask(task, control);
    if (task.crash !== undefined) crash = await computeCrash(task, control);
  } catch (err) {
    if (isCancel(err, control)) return { state: 'cancelled' };
    const message = err instanceof Error ? err.message : String(err);
    writeError(dir, task, message);
    return { state: 'failed', message };
  }
  return { state: 'done', created: writeResultOnce(dir, task, result, crash) };
}
