/**
 * A sweep directory: `sweep.json` (the expanded sweep), `tasks.jsonl` (one task a line),
 * `results/TASK.json` (one file per finished task, written once, atomically), `errors/TASK.txt`
 * (the last failure of a task without a result) and `slurm/` (scripts, task lists, job ids).
 * Nothing here is shared state but files that are created once: several processes on several
 * machines may compute tasks of one sweep at the same time.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AllocReport } from '../../shared/api/alloc.js';
import type { CrashReport } from '../../shared/api/crash.js';
import type { VmRunResult } from '../../shared/api/entities.js';
import { taskHash, type SweepTask } from './task.js';

export const TASKS_FILE = 'tasks.jsonl';
export const SWEEP_FILE = 'sweep.json';
export const RESULTS_DIR = 'results';
export const ERRORS_DIR = 'errors';

/** What `results/TASK.json` holds. Deterministic: equal tasks give byte-identical files. */
export interface TaskResultFile {
  id: string;
  index: number;
  /** {@link taskHash} of the task it was computed for. */
  hash: string;
  /** A curve task's result. */
  result?: VmRunResult;
  /** A curve task's crash analysis, when the sweep asks for one. */
  crash?: CrashReport;
  /** An allocation task's report (its runId is 0: no project). */
  alloc?: AllocReport;
}

/** What a task computed: a curve task's result (and crash analysis), or an allocation. */
export type ComputedTask =
  | { result: VmRunResult; crash?: CrashReport; alloc?: undefined }
  | { alloc: AllocReport; result?: undefined; crash?: undefined };

export interface SweepMeta {
  name: string;
  /** The sweep file it was planned from (absolute). */
  sweepFile: string;
  tasks: number;
  /** Sum over tasks of their references (null when some were not counted). */
  references: number | null;
}

export class SweepDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepDirError';
  }
}

export function resultPath(dir: string, task: { id: string }): string {
  return path.join(dir, RESULTS_DIR, `${task.id}.json`);
}

export function errorPath(dir: string, task: { id: string }): string {
  return path.join(dir, ERRORS_DIR, `${task.id}.txt`);
}

export function readMeta(dir: string): SweepMeta {
  const file = path.join(dir, SWEEP_FILE);
  if (!existsSync(file))
    throw new SweepDirError(
      `${dir}: not a sweep directory (no ${SWEEP_FILE}; run hclab sweep plan)`,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as SweepMeta;
}

export function readTasks(dir: string): SweepTask[] {
  const file = path.join(dir, TASKS_FILE);
  if (!existsSync(file))
    throw new SweepDirError(
      `${dir}: not a sweep directory (no ${TASKS_FILE}; run hclab sweep plan)`,
    );
  const lines = readFileSync(file, 'utf8').split('\n');
  const tasks: SweepTask[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let task: SweepTask;
    try {
      task = JSON.parse(line) as SweepTask;
    } catch {
      throw new SweepDirError(`${file}:${i + 1}: not valid JSON`);
    }
    if (task.index !== tasks.length)
      throw new SweepDirError(
        `${file}:${i + 1}: expected task index ${tasks.length}, got ${task.index}`,
      );
    tasks.push(task);
  });
  return tasks;
}

/** Reads a task's result; null when there is none. A result of another task content throws. */
export function readResult(dir: string, task: SweepTask): TaskResultFile | null {
  const file = resultPath(dir, task);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const r = JSON.parse(text) as TaskResultFile;
  if (r.hash !== taskHash(task))
    throw new SweepDirError(
      `${file}: computed for another version of task ${task.id} (the sweep was re-planned into a directory with results); plan into a new directory`,
    );
  return r;
}

/** Ids of the tasks with a result file. */
export function doneIds(dir: string): Set<string> {
  const out = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(path.join(dir, RESULTS_DIR));
  } catch {
    return out;
  }
  for (const n of names) if (/^t\d+\.json$/.test(n)) out.add(n.slice(0, -5));
  return out;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeFileSynced(file: string, text: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** This host's name as used in temporary file names (no dots). */
const HOST = os.hostname().replace(/[^A-Za-z0-9_-]/g, '_');
const TEMP_RE = /^\.(t\d+)(?:\.json)?\.([^.]+)\.(\d+)\.tmp$/;

/**
 * Writes `results/TASK.json` once: the content goes to a private temporary file, is fsync'd,
 * then hard-linked to its final name (which fails if the name exists: no result is ever
 * written twice or replaced), and the folder is fsync'd. Returns false when the task already had
 * a result (another process finished it first).
 */
export function writeResultOnce(dir: string, task: SweepTask, computed: ComputedTask): boolean {
  const results = path.join(dir, RESULTS_DIR);
  mkdirSync(results, { recursive: true });
  const body: TaskResultFile = {
    id: task.id,
    index: task.index,
    hash: taskHash(task),
    ...computed,
  };
  const final = resultPath(dir, task);
  const temp = path.join(results, `.${task.id}.json.${HOST}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  writeFileSynced(temp, JSON.stringify(body) + '\n');
  let created = true;
  try {
    linkSync(temp, final);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
  } finally {
    rmSync(temp, { force: true });
  }
  fsyncDir(results);
  if (created) rmSync(errorPath(dir, task), { force: true });
  return created;
}

/** Records why a task failed (replaced by the next failure, removed by a success). */
export function writeError(dir: string, task: SweepTask, message: string): void {
  const errors = path.join(dir, ERRORS_DIR);
  mkdirSync(errors, { recursive: true });
  const temp = path.join(errors, `.${task.id}.${HOST}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  writeFileSynced(temp, `${message}\n`);
  // rename replaces atomically: readers see the old or the new message, never a partial one.
  renameQuiet(temp, errorPath(dir, task));
}

function renameQuiet(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    rmSync(to, { force: true });
    try {
      linkSync(from, to);
    } catch {
      // Another process wrote its message in between: keep that one.
    }
  }
  rmSync(from, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that processes on this host left when they were killed (files of
 * live processes and of other hosts are left alone). Returns how many were removed.
 */
export function removeStaleTemps(dir: string): number {
  let removed = 0;
  for (const sub of [RESULTS_DIR, ERRORS_DIR]) {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, sub));
    } catch {
      continue;
    }
    for (const n of names) {
      if (!n.startsWith('.') || !n.endsWith('.tmp')) continue;
      const m = TEMP_RE.exec(n);
      if (m === null || m[2] !== HOST || alive(Number(m[3]))) continue;
      rmSync(path.join(dir, sub, n), { force: true });
      removed++;
    }
  }
  return removed;
}
