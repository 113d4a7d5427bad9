/**
 * `hclab run FILE [--experiment NAME]`: resumes the project's interrupted runs and runs its
 * pending experiments (those without a finished run, or the named one) on worker threads.
 * Exit 0 when all are done, 1 when one failed, 130 when cancelled (Ctrl-C).
 */
import { Command } from 'commander';
import type { ApiEvent } from '../../../shared/api/contract.js';
import { CancelledError } from '../../engine/control.js';
import { RunManager } from '../../service/runs/run-manager.js';
import { asIoError, IoError } from '../../store/io-errors.js';
import { ProjectStore } from '../../store/project-store.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parsePositiveCount } from '../numbers.js';
import { printRunAllocations } from './allocate.js';
import { usageOnBadInput } from './project-errors.js';

export function runCommand(ctx: CliContext): Command {
  return new Command('run')
    .description("run a project's pending experiments and resume its interrupted runs")
    .argument('<file>', 'the project file (.hclab)')
    .option('--experiment <name>', 'run this experiment (a new run even if it ran before)')
    .option('--workers <n>', 'worker threads (default: CPUs − 1)')
    .action(async (file: string, o: { experiment?: string; workers?: string }) => {
      const workers =
        o.workers === undefined ? undefined : parsePositiveCount('--workers', o.workers);
      const store = await usageOnBadInput(() => ProjectStore.open(file));
      if (store.readOnly) {
        store.close();
        const code = store.readOnlyCode ?? 'EROFS';
        if (code === 'EROFS')
          throw new IoError(
            store.path,
            code,
            'the project is on a read-only medium or in a read-only folder, so it opened read-only',
            'copy it to a writable folder to run it',
          );
        throw new IoError(
          store.path,
          code,
          'permission denied: this user may not write the project file or its folder, so it opened read-only',
          'check the permissions of the file and its folder, or copy it to a folder of your own to run it',
        );
      }
      // Never build on damaged stored results: report them (exit 2) instead.
      const damaged = store.runs.damagedRows();
      if (damaged.length > 0) {
        store.close();
        throw new UsageError(damaged.join('\n'));
      }
      const progress = new Map<number, number>();
      let report: (() => void) | null = null;
      const onEvent = (e: ApiEvent): void => {
        if (e.event === 'run.progress') {
          const p = e.payload as { runId: number; percent: number };
          progress.set(p.runId, p.percent);
          report?.();
        } else if (e.event === 'run.state') {
          const s = e.payload as { id: number; experimentName: string; state: string };
          if (s.state !== 'queued') ctx.note(`run ${s.id} (${s.experimentName}): ${s.state}`);
        }
      };
      const manager = new RunManager(store, { workers, onEvent });
      try {
        // Ctrl-C is handled (cancels the runs) from before the first run starts.
        const runIds = await ctx.withProgress('run', async (control) => {
          const ids = await usageOnBadInput(() => {
            const resumed = manager.resumeInterrupted();
            const busy = new Set(resumed.map((id) => store.runs.experimentIdOf(id)));
            let toStart: number[];
            if (o.experiment !== undefined) {
              const exp = store.experiments.byName(o.experiment);
              if (exp === undefined)
                throw new UsageError(
                  `--experiment: no experiment named '${o.experiment}' in ${store.path}`,
                );
              toStart = busy.has(exp.id) ? [] : [exp.id];
            } else {
              toStart = store.runs.pendingExperiments().filter((id) => !busy.has(id));
            }
            return [...resumed, ...toStart.map((id) => manager.start(id).id)];
          });
          report = () => {
            let sum = 0;
            for (const id of ids) sum += progress.get(id) ?? 0;
            control.onProgress?.(sum, 100 * ids.length);
          };
          const onAbort = (): void => {
            for (const id of manager.activeRuns()) manager.cancel(id);
          };
          if (control.signal?.aborted) onAbort();
          control.signal?.addEventListener('abort', onAbort);
          await manager.whenIdle();
          control.signal?.removeEventListener('abort', onAbort);
          return ids;
        });
        // Results that could not be kept fail the command, naming the file (exit 1).
        if (manager.storageError !== null) throw asIoError(manager.storageError, store.path);
        store.assertStillThere();
        if (runIds.length === 0) {
          ctx.note(`${store.path}: nothing to run`);
          return;
        }
        await printRunAllocations(store, runIds);
        const states = runIds.map((id) => store.runs.summary(id));
        const failed = states.filter((s) => s.state === 'failed');
        store.assertStillThere();
        if (failed.length > 0)
          throw new Error(
            failed.map((s) => `run ${s.id} (${s.experimentName}) failed: ${s.error}`).join('; '),
          );
        if (states.some((s) => s.state === 'cancelled')) throw new CancelledError();
      } finally {
        await manager.close();
        store.close();
      }
    });
}
