/**
 * The SLURM backend on a real cluster: `.ci/run` starts a single-node cluster
 * (scripts/slurm-test-cluster.sh) and sets HCLAB_SLURM_CLUSTER=1 and SLURM_CONF. A 20-task sweep is
 * submitted as an array of 5 jobs, one array job is cancelled with scancel after its first task,
 * the missing tasks are resubmitted with --missing, and the collected results must equal the
 * local backend's. Uses the compiled CLI. Waits poll the queue; nothing asserts on durations.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclab } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';

const haveCluster =
  process.env.HCLAB_SLURM_CLUSTER === '1' &&
  spawnSync('sinfo', ['-h'], { encoding: 'utf8' }).status === 0;
if (!haveCluster)
  process.stderr.write(
    'slurm-cluster.test: skipped: no SLURM cluster (run scripts/slurm-test-cluster.sh start DIR and set HCLAB_SLURM_CLUSTER=1 and SLURM_CONF, as .ci/run does)\n',
  );

/** 5 workloads × 2 policies × 2 V = 20 tasks of about a second each. */
const SWEEP = `name: slurm
workloads:
  - "zipf:pages=20000,refs=400000"
  - "hotcold:hot=2000,cold=20000,refs=400000"
  - "uniform:pages=10000,refs=400000"
  - "loop:pages=6000,refs=400000"
  - "preset:tpcc,pages=20000,refs=400000"
policies: [lru, clock]
guestPages: [2000, 5000]
hvPages: [3000]
ghostPages: [4000]
methods: [exact, hypervisor, esx]
`;
const TASKS = 20;
const PER = 4;

function log(line: string): void {
  process.stderr.write(`slurm-cluster.test: ${line}\n`);
}

function ok(args: string[]): string {
  const r = hclab(args);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function results(dir: string): Map<string, string> {
  const folder = path.join(dir, 'results');
  const out = new Map<string, string>();
  if (!existsSync(folder)) return out;
  for (const n of readdirSync(folder))
    if (!n.startsWith('.')) out.set(n, readFileSync(path.join(folder, n), 'utf8'));
  return out;
}

/** squeue's array tasks of a job: `JOBID_I` → state. */
function queued(jobId: string): Map<string, string> {
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%i %T'], { encoding: 'utf8' });
  const out = new Map<string, string>();
  if (r.status !== 0) return out; // a finished job may be unknown to squeue
  for (const line of r.stdout.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id && state) out.set(id, state);
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `done()` (a generous limit only guards against a stuck cluster). */
async function until(what: string, done: () => boolean, limitMs = 600_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

describe.skipIf(!haveCluster)('SLURM backend on a real single-node cluster', () => {
  it('array of 5 jobs, one scancelled mid-way, resubmitted --missing: equals the local run', async () => {
    const root = tempDir();
    const file = path.join(root, 'slurm.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'on-slurm');
    expect(ok(['--quiet', 'sweep', 'plan', file, '--out', dir])).toContain(`${TASKS} tasks`);
    const tasksOf = (i: number) =>
      Array.from({ length: PER }, (_, k) => `t${String(i * PER + k).padStart(5, '0')}.json`);

    const sub = ok([
      '--quiet',
      'sweep',
      'submit',
      dir,
      '--tasks-per-job',
      String(PER),
      '--time',
      '30:00',
      '--mem',
      '1G',
    ]);
    log(sub.trim());
    const jobId = /submitted job (\d+): 20 task\(s\) as an array of 5 job\(s\)/.exec(sub)?.[1];
    expect(jobId).toBeDefined();
    const job = jobId ?? '';
    const script = readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-4\n');

    // Cancel an array job that has stored its first task and not its last.
    let victim = -1;
    await until('an array job midway', () => {
      const q = queued(job);
      const done = results(dir);
      for (let i = 0; i < 5; i++) {
        if (q.get(`${job}_${i}`) !== 'RUNNING') continue;
        const have = tasksOf(i).filter((t) => done.has(t)).length;
        if (have >= 1 && have < PER) {
          victim = i;
          return true;
        }
      }
      return false;
    });
    const cancel = spawnSync('scancel', [`${job}_${victim}`], { encoding: 'utf8' });
    expect(cancel.status, cancel.stderr).toBe(0);
    log(
      `scancel ${job}_${victim} (its block: ${tasksOf(victim).join(' ')}; ${[...results(dir).keys()].length} results so far)`,
    );
    await until(`job ${job} to leave the queue`, () => queued(job).size === 0);
    const afterCancel = results(dir);
    const lost = tasksOf(victim).filter((t) => !afterCancel.has(t));
    log(`job ${job} ended: ${afterCancel.size}/${TASKS} results; missing: ${lost.join(' ')}`);
    expect(lost.length).toBeGreaterThan(0);
    expect(afterCancel.size).toBe(TASKS - lost.length);
    const status = JSON.parse(ok(['sweep', 'status', dir, '--json'])) as {
      counts: Record<string, number>;
    };
    expect(status.counts.done).toBe(TASKS - lost.length);
    expect(status.counts.done + status.counts.pending + status.counts.failed).toBe(TASKS);

    const resub = ok(['--quiet', 'sweep', 'submit', dir, '--missing', '--tasks-per-job', '1']);
    log(resub.trim());
    const job2 = new RegExp(
      `submitted job (\\d+): ${lost.length} task\\(s\\) as an array of ${lost.length} job\\(s\\)`,
    ).exec(resub)?.[1];
    expect(job2).toBeDefined();
    expect(job2).not.toBe(job);
    await until(`job ${job2} to leave the queue`, () => queued(job2 ?? '').size === 0);
    expect(results(dir).size).toBe(TASKS);
    // Tasks stored before the cancel were not written again.
    for (const [name, text] of afterCancel) expect(results(dir).get(name)).toBe(text);
    expect(ok(['sweep', 'status', dir])).toContain(`${TASKS} tasks — done ${TASKS},`);

    // The same tasks on the local backend.
    const local = path.join(root, 'local');
    mkdirSync(local);
    for (const f of ['tasks.jsonl', 'sweep.json'])
      copyFileSync(path.join(dir, f), path.join(local, f));
    ok(['--quiet', 'sweep', 'run', local, '--workers', '2']);
    const a = results(dir);
    const b = results(local);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, text] of a) expect(text).toBe(b.get(name));

    const p1 = path.join(root, 'slurm.hclab');
    const p2 = path.join(root, 'local.hclab');
    ok(['sweep', 'collect', dir, '--project', p1]);
    ok(['sweep', 'collect', local, '--project', p2]);
    const r1 = JSON.parse(ok(['results', p1, '--json'])) as { results: unknown[] }[];
    const r2 = JSON.parse(ok(['results', p2, '--json'])) as { results: unknown[] }[];
    expect(r1[0].results).toHaveLength(TASKS);
    expect(r1[0].results).toEqual(r2[0].results);
    expect(ok(['sweep', 'collect', dir, '--csv'])).toBe(ok(['sweep', 'collect', local, '--csv']));
    log(
      `compared ${a.size} results (SLURM jobs ${job} + ${job2}) with the local backend: identical`,
    );
  });

  it('computes allocation tasks as array jobs like any task: equal to the local backend', async () => {
    const root = tempDir();
    const file = path.join(root, 'alloc.yaml');
    writeFileSync(
      file,
      `name: slurm-alloc
workloads: ["zipf:pages=3000,refs=30000", "loop:pages=1500,refs=20000", "uniform:pages=1000,refs=20000"]
policies: [lru, clock]
guestPages: [500]
hvPages: [500]
methods: [exact, hypervisor, esx]
allocation: { memory: [2400], alpha: [0.1, inf] }
`,
    );
    const dir = path.join(root, 'on-slurm');
    // 6 curve tasks, 2 policies × 2 α allocation tasks.
    expect(ok(['--quiet', 'sweep', 'plan', file, '--out', dir])).toContain('10 tasks');
    const sub = ok(['--quiet', 'sweep', 'submit', dir, '--tasks-per-job', '3', '--time', '30:00']);
    log(sub.trim());
    const job = /submitted job (\d+): 10 task\(s\) as an array of 4 job\(s\)/.exec(sub)?.[1];
    expect(job).toBeDefined();
    await until(`job ${job} to leave the queue`, () => queued(job ?? '').size === 0);
    expect(ok(['sweep', 'status', dir])).toContain('10 tasks — done 10,');
    const local = path.join(root, 'local');
    mkdirSync(local);
    for (const f of ['tasks.jsonl', 'sweep.json'])
      copyFileSync(path.join(dir, f), path.join(local, f));
    ok(['--quiet', 'sweep', 'run', local, '--workers', '2']);
    const a = results(dir);
    expect(a.size).toBe(10);
    for (const [name, text] of a) expect(text).toBe(results(local).get(name));
    const csv = ok(['sweep', 'collect', dir, '--alloc-csv']);
    expect(csv.trim().split('\n')).toHaveLength(1 + 4 * 3 * 3);
    expect(csv).toBe(ok(['sweep', 'collect', local, '--alloc-csv']));
    log(`allocation sweep (job ${job}): ${a.size} results equal to the local backend's`);
  });
});
