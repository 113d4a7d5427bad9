/** The generated job-array script: valid bash, the requested directives, blocks covering tasks. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockCount, blockOf, readTaskList } from '../../main/sweep/blocks.js';
import { planSweep, writePlan } from '../../main/sweep/plan.js';
import { submitSweep } from '../../main/sweep/slurm.js';
import { readTasks, writeResultOnce } from '../../main/sweep/sweep-dir.js';
import { tempDir } from '../store/helpers.js';

const SWEEP = `name: "array test"
workloads: ["loop:pages=100", "zipf:pages=200,refs=500", "uniform:pages=50,refs=100"]
policies: [lru, fifo]
guestPages: [10, 20, 30]
methods: [exact]
`;

async function planned(): Promise<string> {
  const root = tempDir();
  const file = path.join(root, 'array.yaml');
  writeFileSync(file, SWEEP);
  const dir = path.join(root, 'sweep dir');
  writePlan(dir, file, await planSweep(file));
  return dir;
}

function directives(script: string): string[] {
  return script
    .split('\n')
    .filter((l) => l.startsWith('#SBATCH '))
    .map((l) => l.slice('#SBATCH '.length));
}

describe('sweep submit --dry-run: the sbatch script', () => {
  it('is valid bash with the requested directives and a run-task line per array index', async () => {
    const dir = await planned();
    const r = submitSweep(dir, {
      partition: 'short',
      time: '1:30:00',
      mem: '2G',
      maxParallel: 3,
      tasksPerJob: 4,
      extra: ['--account=cache-lab', '--qos=normal'],
      command: ['/opt/node/bin/node', '/opt/hclab/dist/main/cli/hclab.js'],
      dryRun: true,
    });
    expect(r).toMatchObject({ tasks: 18, arraySize: 5, jobId: null, list: null });
    expect(r.script).toBe(path.join(dir, 'sweep.sbatch'));
    const syntax = spawnSync('bash', ['-n', r.script], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    const script = readFileSync(r.script, 'utf8');
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(directives(script)).toEqual([
      '--job-name=hclab-array_test',
      '--array=0-4%3',
      `--output=${path.join(dir, 'slurm', 'logs', '%A_%a.out')}`,
      '--ntasks=1',
      '--cpus-per-task=1',
      '--partition=short',
      '--time=1:30:00',
      '--mem=2G',
      '--account=cache-lab',
      '--qos=normal',
    ]);
    // The folder name has a space: it is quoted for bash.
    expect(script).toContain(
      `exec /opt/node/bin/node /opt/hclab/dist/main/cli/hclab.js sweep run-task '${dir}' --index "$SLURM_ARRAY_TASK_ID" --per 4\n`,
    );
    // Every #SBATCH line comes before the first command (sbatch stops reading at it).
    const lines = script.split('\n');
    const firstCommand = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
    expect(lines.findLastIndex((l) => l.startsWith('#SBATCH'))).toBeLessThan(firstCommand);
  });

  it('--missing lists only the tasks without a result, and the blocks cover each once', async () => {
    const dir = await planned();
    const tasks = readTasks(dir);
    const stub = { name: 'x', stats: {}, curves: [] };
    for (const i of [0, 1, 2, 5, 17]) writeResultOnce(dir, tasks[i], { result: stub });
    const r = submitSweep(dir, {
      tasksPerJob: 5,
      extra: [],
      command: ['hclab'],
      missing: true,
      dryRun: true,
    });
    expect(r).toMatchObject({ tasks: 13, arraySize: 3, list: path.join('slurm', 'missing-1.txt') });
    const script = readFileSync(r.script, 'utf8');
    expect(directives(script)).toContain('--array=0-2');
    expect(script).toContain('--per 5 --list slurm/missing-1.txt\n');
    expect(spawnSync('bash', ['-n', r.script]).status).toBe(0);
    const list = readTaskList(path.join(dir, r.list ?? ''), tasks);
    const covered = Array.from({ length: blockCount(list.length, 5) }, (_, i) =>
      blockOf(list, i, 5),
    ).flat();
    expect(covered.map((t) => t.index)).toEqual([3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    // Nothing missing: nothing to submit.
    for (const t of tasks) writeResultOnce(dir, t, { result: stub });
    expect(
      submitSweep(dir, {
        tasksPerJob: 5,
        extra: [],
        command: ['hclab'],
        missing: true,
        dryRun: true,
      }).tasks,
    ).toBe(0);
  });

  it('refuses a directive with a newline', async () => {
    const dir = await planned();
    expect(() =>
      submitSweep(dir, {
        tasksPerJob: 1,
        extra: ['--qos=x\nrm -rf /'],
        command: ['hclab'],
        dryRun: true,
      }),
    ).toThrow(/cannot contain a newline/);
  });
});
