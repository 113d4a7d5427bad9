/**
 * Crash safety of the local backend: `hclab sweep run` over a 40-task sweep is SIGKILLed at
 * seeded random instants (20 kills), then run again until it completes. The result files must be
 * byte-identical to those of an uninterrupted run, each written once (never replaced), with no
 * partial or temporary file left. Uses the compiled CLI (npm test builds first).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';
import { prng } from './helpers.js';

const CLI = path.join(REPO, 'dist/main/cli/hclab.js');
const KILLS = 20;
const TASKS = 40;

/** 5 workloads × 2 policies × 2 V × 2 seeds = 40 tasks. */
const SWEEP = `name: kill
workloads:
  - "zipf:pages=3000,refs=20000"
  - "hotcold:hot=300,cold=3000,refs=20000"
  - "uniform:pages=2000,refs=20000"
  - "loop:pages=1500,refs=20000"
  - "preset:tpcc,pages=3000,refs=20000"
policies: [lru, clock]
guestPages: [300, 800]
hvPages: [400]
ghostPages: [600]
methods: [exact, hypervisor, esx]
seeds: [1, 2]
`;

interface Child {
  exited: Promise<number | string>;
  kill(): boolean;
  startedAt: number;
}

function runSweep(dir: string): Child {
  const child = spawn(process.execPath, [CLI, '--quiet', 'sweep', 'run', dir, '--workers', '2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let alive = true;
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      alive = false;
      if (code !== 0 && code !== null)
        process.stderr.write(`sweep run exited ${code}: ${stderr}\n`);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { exited, startedAt: performance.now(), kill: () => alive && child.kill('SIGKILL') };
}

/** Result files by name; throws on a file that is not one complete JSON document. */
function results(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const folder = path.join(dir, 'results');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return out;
  }
  for (const n of names) {
    if (n.startsWith('.')) continue;
    const text = readFileSync(path.join(folder, n), 'utf8');
    JSON.parse(text);
    out.set(n, text);
  }
  return out;
}

function temporaries(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, 'results')).filter((n) => n.startsWith('.'));
  } catch {
    return [];
  }
}

describe('hclab sweep run: killed at random instants, resumed to completion', () => {
  it(`gives the uninterrupted run's results after ${KILLS} SIGKILLs, each written once`, async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'kill.yaml'), SWEEP);
    const reference = path.join(root, 'reference');
    const plan = spawnSync(
      process.execPath,
      [CLI, '--quiet', 'sweep', 'plan', path.join(root, 'kill.yaml'), '--out', reference],
      { encoding: 'utf8' },
    );
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`${TASKS} tasks`);

    const ref = runSweep(reference);
    expect(await ref.exited).toBe(0);
    const duration = performance.now() - ref.startedAt;
    const expected = results(reference);
    expect(expected.size).toBe(TASKS);
    const empty = runSweep(reference);
    expect(await empty.exited).toBe(0);
    const fixed = performance.now() - empty.startedAt;
    const perTask = Math.max(5, (duration - fixed) / TASKS);

    const random = prng(20261202);
    let kills = 0;
    let midway = 0;
    let rounds = 0;
    // Kill in fresh copies of the planned sweep until there were enough kills; each copy is then
    // resumed to completion and compared.
    while (kills < KILLS) {
      const dir = path.join(root, `killed-${rounds++}`);
      mkdirSync(dir);
      for (const f of ['tasks.jsonl', 'sweep.json'])
        copyFileSync(path.join(reference, f), path.join(dir, f));
      /** Identity of each result file when first seen: a rewrite would change it. */
      const seen = new Map<string, string>();
      while (kills < KILLS) {
        const missing = TASKS - results(dir).size;
        if (missing === 0) break;
        const child = runSweep(dir);
        await new Promise((r) => setTimeout(r, random() * (fixed + missing * perTask)));
        child.kill();
        const status = await child.exited;
        // A child that finished just before the signal exits 0 (not counted as a kill).
        expect([0, 'SIGKILL']).toContain(status);
        if (status === 'SIGKILL') kills++;
        const got = results(dir);
        if (got.size > 0 && got.size < TASKS) midway++;
        for (const [name, text] of got) {
          expect(text).toBe(expected.get(name));
          const st = statSync(path.join(dir, 'results', name));
          const id = `${st.ino}:${st.mtimeMs}`;
          expect(seen.get(name) ?? id).toBe(id);
          seen.set(name, id);
        }
      }
      const last = runSweep(dir);
      expect(await last.exited).toBe(0);
      const final = results(dir);
      expect([...final.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, text] of final) expect(text).toBe(expected.get(name));
      for (const [name, id] of seen) {
        const st = statSync(path.join(dir, 'results', name));
        expect(`${st.ino}:${st.mtimeMs}`).toBe(id);
      }
      expect(temporaries(dir)).toEqual([]);
    }
    expect(kills).toBe(KILLS);
    expect(midway).toBeGreaterThanOrEqual(KILLS / 4);
  });
});
