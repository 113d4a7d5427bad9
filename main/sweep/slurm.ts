/**
 * The SLURM backend: a job-array script whose index selects a block of tasks, submitted with
 * `sbatch --parsable`; job ids are appended to `slurm/jobs.jsonl`. Status comes from the result
 * files, `squeue` and, where accounting runs, `sacct`. SLURM does the scheduling; results are
 * per-task files, so nothing needs a shared database on a network file system.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { blockCount, blockOf, readTaskList } from './blocks.js';
import { ERRORS_DIR, SweepDirError, doneIds, readMeta, readTasks } from './sweep-dir.js';
import type { SweepTask } from './task.js';

export const SLURM_DIR = 'slurm';
export const SCRIPT_FILE = 'sweep.sbatch';
const JOBS_FILE = 'jobs.jsonl';

export interface SbatchOptions {
  partition?: string;
  time?: string;
  mem?: string;
  maxParallel?: number;
  tasksPerJob: number;
  /** Extra `#SBATCH` lines, verbatim (e.g. `--account=lab`, `--qos=long`). */
  extra: string[];
  /** The command that runs hclab on the compute nodes (words, quoted for the shell). */
  command: string[];
}

export interface JobRecord {
  jobId: string;
  submittedAt: string;
  /** Task list the array indexes (relative to the sweep directory); null: all tasks. */
  list: string | null;
  tasks: number;
  tasksPerJob: number;
  arraySize: number;
}

/** Quotes a word for bash (single quotes). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function directive(value: string): string {
  if (/[\n\r]/.test(value))
    throw new SweepDirError(`an #SBATCH value cannot contain a newline: ${JSON.stringify(value)}`);
  return `#SBATCH ${value}`;
}

/** The job-array script. `list` is relative to `dir` (null: every task). */
export function sbatchScript(
  dir: string,
  name: string,
  count: number,
  list: string | null,
  o: SbatchOptions,
): string {
  const abs = path.resolve(dir);
  const blocks = blockCount(count, o.tasksPerJob);
  const array = `0-${blocks - 1}${o.maxParallel === undefined ? '' : `%${o.maxParallel}`}`;
  const jobName = `hclab-${name}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const lines = [
    '#!/bin/bash',
    `# HCLab sweep '${name}': ${count} task(s)${list === null ? '' : ` listed in ${list}`}, ${o.tasksPerJob} per array job.`,
    '# Written by `hclab sweep submit`; edit it freely and submit it again with',
    `#   sbatch --parsable ${shellQuote(path.join(abs, SCRIPT_FILE))}`,
    '# Array job i computes tasks [i*per, (i+1)*per) of the list; tasks that already have a',
    '# result file are skipped, so resubmitting never computes or writes a result twice.',
    directive(`--job-name=${jobName}`),
    directive(`--array=${array}`),
    directive(`--output=${path.join(abs, SLURM_DIR, 'logs', '%A_%a.out')}`),
    directive('--ntasks=1'),
    directive('--cpus-per-task=1'),
  ];
  if (o.partition !== undefined) lines.push(directive(`--partition=${o.partition}`));
  if (o.time !== undefined) lines.push(directive(`--time=${o.time}`));
  if (o.mem !== undefined) lines.push(directive(`--mem=${o.mem}`));
  for (const e of o.extra) lines.push(directive(e));
  const run = [
    ...o.command.map(shellQuote),
    'sweep',
    'run-task',
    shellQuote(abs),
    '--index',
    '"$SLURM_ARRAY_TASK_ID"',
    '--per',
    String(o.tasksPerJob),
    ...(list === null ? [] : ['--list', shellQuote(list)]),
  ];
  lines.push('set -euo pipefail', `cd ${shellQuote(abs)}`, `exec ${run.join(' ')}`, '');
  return lines.join('\n');
}

export interface SubmitResult {
  script: string;
  tasks: number;
  arraySize: number;
  jobId: string | null;
  list: string | null;
}

export function jobRecords(dir: string): JobRecord[] {
  const file = path.join(dir, SLURM_DIR, JOBS_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JobRecord);
}

/**
 * Writes `DIR/sweep.sbatch` (over all tasks, or with `missing` over those without a result) and,
 * unless `dryRun`, submits it with `sbatch --parsable` and records the job id.
 */
export function submitSweep(
  dir: string,
  o: SbatchOptions & { missing?: boolean; dryRun?: boolean },
): SubmitResult {
  const meta = readMeta(dir);
  const tasks = readTasks(dir);
  const slurmDir = path.join(dir, SLURM_DIR);
  mkdirSync(path.join(slurmDir, 'logs'), { recursive: true });
  let list: string | null = null;
  let count = tasks.length;
  if (o.missing === true) {
    const done = doneIds(dir);
    const missing = tasks.filter((t) => !done.has(t.id));
    count = missing.length;
    if (count === 0) return { script: '', tasks: 0, arraySize: 0, jobId: null, list: null };
    const n = jobRecords(dir).length + 1;
    list = path.join(SLURM_DIR, `missing-${n}.txt`);
    writeFileSync(path.join(dir, list), missing.map((t) => t.index).join('\n') + '\n');
  }
  const script = sbatchScript(dir, meta.name, count, list, o);
  const scriptFile = path.resolve(dir, SCRIPT_FILE);
  writeFileSync(scriptFile, script, { mode: 0o755 });
  const arraySize = blockCount(count, o.tasksPerJob);
  if (o.dryRun === true) return { script: scriptFile, tasks: count, arraySize, jobId: null, list };
  const r = spawnSync('sbatch', ['--parsable', scriptFile], { cwd: dir, encoding: 'utf8' });
  if (r.error !== undefined)
    throw new Error(
      (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'sbatch: not found (is this a SLURM login node?); the script is in ' + scriptFile
        : `sbatch: ${r.error.message}`,
    );
  if (r.status !== 0) throw new Error(`sbatch failed (exit ${r.status}): ${r.stderr.trim()}`);
  const jobId = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(jobId))
    throw new Error(`sbatch --parsable printed '${r.stdout.trim()}', expected a job id`);
  const record: JobRecord = {
    jobId,
    submittedAt: new Date().toISOString(),
    list,
    tasks: count,
    tasksPerJob: o.tasksPerJob,
    arraySize,
  };
  appendFileSync(path.join(slurmDir, JOBS_FILE), JSON.stringify(record) + '\n');
  return { script: scriptFile, tasks: count, arraySize, jobId, list };
}

export type TaskState = 'done' | 'running' | 'queued' | 'failed' | 'pending';

export interface SweepStatus {
  name: string;
  total: number;
  counts: Record<TaskState, number>;
  states: Map<string, TaskState>;
  /** Why a task failed (error file, or the job's final SLURM state). */
  reasons: Map<string, string>;
  jobs: {
    jobId: string;
    arraySize: number;
    running: number;
    pending: number;
    ended: Map<number, string>;
  }[];
  /** Where squeue/sacct could not be asked. */
  notes: string[];
}

/** Array tasks in the queue: `JOBID_INDEX` → state (RUNNING, PENDING, …). */
function squeueStates(jobIds: string[], notes: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (jobIds.length === 0) return out;
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i %T'], {
    encoding: 'utf8',
  });
  if (r.error !== undefined || r.status !== 0) {
    notes.push(
      r.error !== undefined
        ? 'squeue not available: running/queued not shown'
        : `squeue failed: ${r.stderr.trim()}`,
    );
    return out;
  }
  for (const line of r.stdout.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id !== undefined && state !== undefined) out.set(id, state);
  }
  return out;
}

/** Final states of array tasks from accounting (empty where sacct is not set up). */
function sacctStates(jobIds: string[], notes: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (jobIds.length === 0) return out;
  const r = spawnSync('sacct', ['-n', '-X', '-P', '-j', jobIds.join(','), '-o', 'JobID,State'], {
    encoding: 'utf8',
  });
  if (r.error !== undefined || r.status !== 0) {
    notes.push('sacct not available (no accounting): failed jobs are known from error files only');
    return out;
  }
  for (const line of r.stdout.split('\n')) {
    const [id, state] = line.trim().split('|');
    if (id !== undefined && state !== undefined && id.includes('_'))
      out.set(id, state.split(' ')[0]);
  }
  return out;
}

export function sweepStatus(dir: string, o: { slurm?: boolean } = {}): SweepStatus {
  const meta = readMeta(dir);
  const tasks = readTasks(dir);
  const done = doneIds(dir);
  const states = new Map<string, TaskState>();
  const reasons = new Map<string, string>();
  const notes: string[] = [];
  for (const t of tasks) states.set(t.id, done.has(t.id) ? 'done' : 'pending');
  const records = jobRecords(dir);
  const ids = records.map((r) => r.jobId);
  const queue = o.slurm === false ? new Map<string, string>() : squeueStates(ids, notes);
  const acct =
    o.slurm === false || records.length === 0 ? new Map<string, string>() : sacctStates(ids, notes);
  const jobs: SweepStatus['jobs'] = [];
  for (const rec of records) {
    const list: SweepTask[] =
      rec.list === null ? tasks : readTaskList(path.join(dir, rec.list), tasks);
    const job = {
      jobId: rec.jobId,
      arraySize: rec.arraySize,
      running: 0,
      pending: 0,
      ended: new Map<number, string>(),
    };
    for (let i = 0; i < rec.arraySize; i++) {
      const key = `${rec.jobId}_${i}`;
      const q = queue.get(key);
      const a = acct.get(key);
      const block = blockOf(list, i, rec.tasksPerJob);
      if (q === 'RUNNING' || q === 'COMPLETING') {
        job.running++;
        for (const t of block) if (states.get(t.id) === 'pending') states.set(t.id, 'running');
      } else if (q !== undefined) {
        job.pending++;
        for (const t of block) if (states.get(t.id) === 'pending') states.set(t.id, 'queued');
      } else if (a !== undefined && a !== 'COMPLETED' && a !== 'RUNNING' && a !== 'PENDING') {
        job.ended.set(i, a);
        for (const t of block)
          if (states.get(t.id) === 'pending') {
            states.set(t.id, 'failed');
            reasons.set(t.id, `job ${key} ${a}`);
          }
      }
    }
    jobs.push(job);
  }
  const errors = path.join(dir, ERRORS_DIR);
  for (const t of tasks) {
    const s = states.get(t.id);
    if (s !== 'pending' && s !== 'failed') continue;
    const file = path.join(errors, `${t.id}.txt`);
    if (!existsSync(file)) continue;
    states.set(t.id, 'failed');
    reasons.set(t.id, readFileSync(file, 'utf8').trim());
  }
  const counts: Record<TaskState, number> = {
    done: 0,
    running: 0,
    queued: 0,
    failed: 0,
    pending: 0,
  };
  for (const s of states.values()) counts[s]++;
  return { name: meta.name, total: tasks.length, counts, states, reasons, jobs, notes };
}
