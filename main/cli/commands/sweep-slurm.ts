/** `hclab sweep submit` and `hclab sweep status`: the SLURM backend's commands. */
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { submitSweep, sweepStatus, type TaskState } from '../../sweep/slurm.js';
import type { CliContext } from '../context.js';
import { parsePositiveCount } from '../numbers.js';
import { fmtInt, printJson } from '../output.js';

interface SubmitOptions {
  partition?: string;
  time?: string;
  mem?: string;
  maxParallel?: string;
  tasksPerJob: string;
  sbatchArg: string[];
  missing?: boolean;
  dryRun?: boolean;
  hclab?: string;
}

/** How the compute nodes start this very hclab: this Node binary and this CLI file. */
function thisHclab(): string[] {
  return [process.execPath, fileURLToPath(new URL('../hclab.js', import.meta.url))];
}

export function submitCommand(ctx: CliContext): Command {
  return new Command('submit')
    .description('write DIR/sweep.sbatch (a SLURM job array) and submit it with sbatch')
    .argument('<dir>', 'the sweep directory (on a file system the compute nodes see)')
    .option('--partition <p>', 'SLURM partition')
    .option('--time <t>', 'time limit per array job, e.g. 2:00:00')
    .option('--mem <m>', 'memory per array job, e.g. 4G')
    .option('--max-parallel <k>', 'at most K array jobs at once (--array=…%K)')
    .option('--tasks-per-job <n>', 'tasks computed one after the other by each array job', '1')
    .option(
      '--sbatch-arg <arg>',
      'an extra #SBATCH line, e.g. --sbatch-arg=--account=lab (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--missing', 'only the tasks without a result (after failures or cancels)')
    .option('--dry-run', 'write the script, do not submit it')
    .option('--hclab <command>', 'how compute nodes run hclab (default: this node and CLI file)')
    .action((dir: string, o: SubmitOptions) => {
      const r = submitSweep(dir, {
        partition: o.partition,
        time: o.time,
        mem: o.mem,
        maxParallel:
          o.maxParallel === undefined
            ? undefined
            : parsePositiveCount('--max-parallel', o.maxParallel),
        tasksPerJob: parsePositiveCount('--tasks-per-job', o.tasksPerJob),
        extra: o.sbatchArg,
        command: o.hclab === undefined ? thisHclab() : o.hclab.split(/\s+/).filter(Boolean),
        missing: o.missing,
        dryRun: o.dryRun,
      });
      if (r.tasks === 0) {
        process.stdout.write('nothing to submit: every task has a result\n');
        return;
      }
      const what = `${fmtInt(r.tasks)} task(s) as an array of ${fmtInt(r.arraySize)} job(s)`;
      if (r.jobId === null) process.stdout.write(`wrote ${r.script}: ${what} (not submitted)\n`);
      else {
        process.stdout.write(`submitted job ${r.jobId}: ${what} (${r.script})\n`);
        ctx.note(`follow it with: hclab sweep status ${dir}`);
      }
    });
}

const ORDER: TaskState[] = ['done', 'running', 'queued', 'failed', 'pending'];

export function statusCommand(_ctx: CliContext): Command {
  return new Command('status')
    .description('done / running / queued / failed / pending tasks (result files, squeue, sacct)')
    .argument('<dir>', 'the sweep directory')
    .option('--json', 'print one JSON object')
    .option('--tasks', 'list every task that is not done')
    .action((dir: string, o: { json?: boolean; tasks?: boolean }) => {
      const s = sweepStatus(dir);
      if (o.json) {
        printJson({
          name: s.name,
          total: s.total,
          counts: s.counts,
          tasks: Object.fromEntries(s.states),
          reasons: Object.fromEntries(s.reasons),
          jobs: s.jobs.map((j) => ({ ...j, ended: Object.fromEntries(j.ended) })),
          notes: s.notes,
        });
        return;
      }
      process.stdout.write(
        `${s.name}: ${fmtInt(s.total)} tasks — ${ORDER.map((k) => `${k} ${fmtInt(s.counts[k])}`).join(', ')}\n`,
      );
      for (const j of s.jobs) {
        const ended = [...j.ended].map(([i, st]) => `${j.jobId}_${i} ${st}`).join(', ');
        process.stdout.write(
          `job ${j.jobId}: ${j.arraySize} array job(s), ${j.running} running, ${j.pending} queued${ended === '' ? '' : `; ended: ${ended}`}\n`,
        );
      }
      for (const n of s.notes) process.stdout.write(`note: ${n}\n`);
      if (o.tasks)
        for (const [id, st] of s.states)
          if (st !== 'done')
            process.stdout.write(
              `${id} ${st}${s.reasons.has(id) ? `: ${s.reasons.get(id)}` : ''}\n`,
            );
      if (s.counts.failed > 0)
        process.stdout.write(
          `${s.counts.failed} task(s) failed: see --tasks and ${dir}/slurm/logs; fix, then hclab sweep submit ${dir} --missing\n`,
        );
    });
}
