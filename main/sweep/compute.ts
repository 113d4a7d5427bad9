/** Computes one sweep task with the engine code every run uses, and records its outcome. */
import type { AllocReport } from '../../shared/api/alloc.js';
import type { CrashReport } from '../../shared/api/crash.js';
import type { ExperimentConfig, VmRunResult } from '../../shared/api/entities.js';
import { CancelledError, type RunControl } from '../engine/control.js';
import { allocate } from '../service/api/alloc.js';
import { crashReport, runCrashAnalysis } from '../service/api/crash.js';
import { workloadSource } from '../service/experiment-runner.js';
import { runStep } from '../service/runs/step.js';
import { writeError, writeResultOnce, type ComputedTask } from './sweep-dir.js';
import type { AllocTask, CurveTask, SweepTask } from './task.js';

export function computeTask(task: CurveTask, control?: RunControl): Promise<VmRunResult> {
  // Trace paths in a task are absolute: the base folder is never used.
  return runStep({ experiment: task.experiment, baseDir: '/' }, control ?? {});
}

/** The task's crash analysis (as `hclab crash` on its VM), with a temporary hv-log log. */
export async function computeCrash(task: CurveTask, control?: RunControl): Promise<CrashReport> {
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

/**
 * An allocation task: each member VM simulated alone with the sweep's methods (the computation
 * of its curve task, so the same curves), then the allocator of `hclab alloc` on those results.
 * The report's runId is 0 (no project); `sweep collect` sets it to the sweep's run.
 */
export async function computeAllocTask(
  task: AllocTask,
  control?: RunControl,
): Promise<AllocReport> {
  const { experiment } = task;
  const results: VmRunResult[] = [];
  const n = experiment.vms.length;
  const onProgress = control?.onProgress;
  /** Progress in n + 1 parts: each member's simulation, then the allocation (re-simulations). */
  const part = (k: number): RunControl => ({
    ...control,
    ...(onProgress === undefined
      ? {}
      : {
          onProgress: (done: number, total?: number) =>
            onProgress(
              k + (total !== undefined && total > 0 ? Math.min(1, done / total) : 0),
              n + 1,
            ),
        }),
  });
  for (const [i, vm] of experiment.vms.entries()) {
    control?.onStep?.(`${vm.name}: curves (${i + 1} of ${n})`);
    results.push(
      await runStep({ experiment: { ...experiment, vms: [vm] }, baseDir: '/' }, part(i)),
    );
  }
  const config: ExperimentConfig = {
    name: experiment.name,
    vmNames: experiment.vms.map((v) => v.name),
    methods: experiment.methods,
    sizes: experiment.sizes,
    esx: experiment.esx,
    shards: experiment.shards,
    minisim: experiment.minisim,
    pageSize: experiment.pageSize,
  };
  const report = await allocate(
    { run: { id: 0, experiment: config, vms: experiment.vms, results }, baseDir: '/' },
    task.request,
    part(n),
  );
  return JSON.parse(JSON.stringify(report)) as AllocReport;
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
  let computed: ComputedTask;
  try {
    if (task.kind === 'alloc') computed = { alloc: await computeAllocTask(task, control) };
    else {
      const result = await computeTask(task, control);
      computed =
        task.crash === undefined
          ? { result }
          : { result, crash: await computeCrash(task, control) };
    }
  } catch (err) {
    if (isCancel(err, control)) return { state: 'cancelled' };
    const message = err instanceof Error ? err.message : String(err);
    writeError(dir, task, message);
    return { state: 'failed', message };
  }
  return { state: 'done', created: writeResultOnce(dir, task, computed) };
}
