/**
 * `hclab sweep …`: many single-VM runs described by one sweep file, computed on this machine's
 * cores (`run`) or as a SLURM job array (`submit`, whose jobs call `run-task`), one result file
 * per task, then gathered into a project (`collect`).
 */
import path from 'node:path';
import { Command } from 'commander';
import { blockOf, readTaskList } from '../../sweep/blocks.js';
import { computeAndStore } from '../../sweep/compute.js';
import { runLocal } from '../../sweep/local-pool.js';
import { planSweep, writePlan } from '../../sweep/plan.js';
import { doneIds, readTasks, removeStaleTemps } from '../../sweep/sweep-dir.js';
import { isAllocTask, isCurveTask } from '../../sweep/task.js';
import { CancelledError } from '../../engine/control.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parseCount, parsePositiveCount } from '../numbers.js';
import { fmtInt } from '../output.js';
import { cancelOnSigint, createProgress } from '../progress.js';
import { collectCommand } from './sweep-collect.js';
import { statusCommand, submitCommand } from './sweep-slurm.js';

export function sweepCommand(ctx: CliContext): Command {
  const cmd = new Command('sweep').description(
    'sweeps: traces × workloads × policies × V, C, G × methods × seeds, locally or on SLURM',
  );
  cmd.addCommand(planCommand(ctx));
  cmd.addCommand(runCommandLocal(ctx));
  cmd.addCommand(runTaskCommand(ctx));
  cmd.addCommand(submitCommand(ctx));
  cmd.addCommand(statusCommand(ctx));
  cmd.addCommand(collectCommand(ctx));
  return cmd;
}

function planCommand(ctx: CliContext): Command {
  return new Command('plan')
    .description('expand a sweep file (YAML/JSON) into DIR/tasks.jsonl')
    .argument('<sweep>', 'the sweep file')
    .requiredOption('--out <dir>', 'the sweep directory to write')
    .option('--no-count', 'do not read the traces to count their references')
    .action(async (file: string, o: { out: string; count: boolean }) => {
      const plan = await planSweep(file, { countTraces: o.count });
      const state = writePlan(o.out, file, plan);
      const per = new Set(plan.tasks.filter(isCurveTask).map((t) => t.source)).size;
      const allocs = plan.tasks.filter(isAllocTask).length;
      process.stdout.write(
        `${plan.sweep.name}: ${fmtInt(plan.tasks.length)} tasks (${fmtInt(per)} traces/workloads${allocs === 0 ? '' : `; ${fmtInt(allocs)} of them allocation tasks`}) in ${path.resolve(o.out)}${state === 'unchanged' ? ' (unchanged)' : ''}\n`,
      );
      if (plan.references !== null)
        process.stdout.write(
          `work: ${fmtInt(plan.references)} references in all (${fmtInt(Math.round(plan.references / Math.max(1, plan.tasks.length)))} per task on average)\n`,
        );
      else
        process.stdout.write(
          'work: unknown (traces not counted; plan without --no-count to read them once)\n',
        );
      ctx.note(`next: hclab sweep run ${o.out}  (or hclab sweep submit ${o.out} on SLURM)`);
    });
}

function runCommandLocal(ctx: CliContext): Command {
  return new Command('run')
    .description('compute every task without a result on this machine (resumable)')
    .argument('<dir>', 'the sweep directory')
    .option('--workers <n>', 'worker threads (default: CPUs − 1)')
    .action(async (dir: string, o: { workers?: string }) => {
      const workers =
        o.workers === undefined ? undefined : parsePositiveCount('--workers', o.workers);
      const ac = cancelOnSigint();
      const bar = createProgress(
        `sweep ${path.basename(path.resolve(dir))}`,
        ctx.quiet(),
        ac.signal,
      );
      let summary;
      try {
        summary = await runLocal(dir, {
          workers,
          signal: ac.signal,
          onProgress: (p) => bar.onProgress?.(Math.round(p.units * 100), p.total * 100),
          onOutcome: (task, outcome) => {
            if (outcome.state === 'failed') ctx.note(`${task.id} failed: ${outcome.message}`);
          },
        });
      } finally {
        bar.stop();
      }
      const done = summary.before + summary.written;
      ctx.note(
        `${fmtInt(summary.written)} task(s) computed, ${fmtInt(summary.before)} already done, ${fmtInt(summary.failed.length)} failed; ${fmtInt(done)}/${fmtInt(summary.total)} have a result`,
      );
      if (summary.cancelled) throw new CancelledError();
      if (summary.failed.length > 0)
        throw new Error(
          `${summary.failed.length} task(s) failed (messages in ${path.join(dir, 'errors')}); run again to retry them`,
        );
    });
}

function runTaskCommand(ctx: CliContext): Command {
  return new Command('run-task')
    .description('compute one block of tasks (what a SLURM array job runs)')
    .argument('<dir>', 'the sweep directory')
    .requiredOption('--index <i>', 'block index (SLURM_ARRAY_TASK_ID)')
    .option('--per <n>', 'tasks per block', '1')
    .option('--list <file>', 'a file of task indexes (one a line) to take the block from')
    .action(async (dir: string, o: { index: string; per: string; list?: string }) => {
      const index = parseCount('--index', o.index);
      const per = parsePositiveCount('--per', o.per);
      const tasks = readTasks(dir);
      const list = o.list === undefined ? tasks : readTaskList(path.resolve(dir, o.list), tasks);
      const block = blockOf(list, index, per);
      if (block.length === 0)
        throw new UsageError(
          `--index ${index}: no tasks (the list has ${list.length}, ${per} per block)`,
        );
      removeStaleTemps(dir);
      const ac = cancelOnSigint();
      // SLURM sends SIGTERM before killing a cancelled or timed-out job.
      process.once('SIGTERM', () => ac.abort());
      let failed = 0;
      for (const task of block) {
        if (doneIds(dir).has(task.id)) {
          ctx.note(`${task.id}: already done`);
          continue;
        }
        const started = performance.now();
        const outcome = await computeAndStore(dir, task, { signal: ac.signal });
        if (outcome.state === 'cancelled') throw new CancelledError();
        if (outcome.state === 'failed') {
          failed++;
          process.stderr.write(`hclab: ${task.id} failed: ${outcome.message}\n`);
        } else
          process.stderr.write(
            `hclab: ${task.id} done in ${((performance.now() - started) / 1000).toFixed(1)} s${outcome.created ? '' : ' (another process stored it first)'}\n`,
          );
      }
      if (failed > 0) throw new Error(`${failed} of ${block.length} task(s) failed`);
    });
}
