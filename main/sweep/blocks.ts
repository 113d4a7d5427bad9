/**
 * Which tasks an array job computes: index i of a submission covers tasks
 * [i·per, (i+1)·per) of its task list (all tasks, or the list of the missing ones written by
 * `submit --missing`, one task index a line).
 */
import { readFileSync } from 'node:fs';
import { SweepDirError } from './sweep-dir.js';
import type { SweepTask } from './task.js';

export function readTaskList(file: string, tasks: readonly SweepTask[]): SweepTask[] {
  const out: SweepTask[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const n = Number(line.trim());
      if (!Number.isInteger(n) || n < 0 || n >= tasks.length)
        throw new SweepDirError(
          `${file}:${i + 1}: expected a task index from 0 to ${tasks.length - 1}, got '${line.trim()}'`,
        );
      out.push(tasks[n]);
    });
  return out;
}

export function blockOf<T>(list: readonly T[], index: number, per: number): T[] {
  return list.slice(index * per, (index + 1) * per);
}

export function blockCount(listLength: number, per: number): number {
  return Math.ceil(listLength / per);
}
