/**
 * Crash safety: `hclab run FILE` is SIGKILLed at random instants (at least 50 times), then run
 * again until it completes. The stored results must equal those of an uninterrupted run, with
 * every step stored exactly once. Uses the compiled CLI (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/store/project-store.js';
import { REPO } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';

const CLI = path.join(REPO, 'dist/main/cli/hclab.js');
const VMS = 6;
const MIN_KILLS = 50;
const KILLS_PER_PROJECT = 5;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Child {
  /** Resolves with the exit code, or the signal name. */
  exited: Promise<number | string>;
  kill(): boolean;
  startedAt: number;
}

function runCli(file: string): Child {
  const child = spawn(process.execPath, [CLI, '--quiet', 'run', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let alive = true;
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      alive = false;
      if (code !== 0 && code !== null)
        process.stderr.write(`hclab run exited ${code}: ${stderr}\n`);
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    exited,
    startedAt: performance.now(),
    kill: () => alive && child.kill('SIGKILL'),
  };
}

function makeProject(file: string): void {
  const s = ProjectStore.create(file);
  const names: string[] = [];
  for (let i = 0; i < VMS; i++) {
    const name = `vm${i}`;
    names.push(name);
    s.vms.save({
      name,
      workload:
        i % 2 === 0
          ? { kind: 'zipf', pages: 3000, refs: 60_000, seed: i + 1 }
          : { kind: 'hotcold', hot: 300, cold: 3000, refs: 60_000, seed: i + 1 },
      guestPages: 300,
      hvPages: 200,
      ghostPages: 400,
    });
  }
  s.experiments.save({ name: 'kill', vmNames: names, methods: ['exact', 'hypervisor', 'shards'] });
  s.close();
}

/** Each run's rows: one per (run, step), and the stored JSON per step. */
function stored(file: string): {
  runs: { id: number; state: string }[];
  dupes: number;
  results: string[];
} {
  const db = new Database(file, { readonly: true });
  try {
    const runs = db.prepare('SELECT id, state FROM runs ORDER BY id').all() as {
      id: number;
      state: string;
    }[];
    const dupes = (
      db
        .prepare(
          'SELECT COUNT(*) AS n FROM (SELECT run_id, step FROM run_results GROUP BY run_id, step HAVING COUNT(*) > 1)',
        )
        .get() as { n: number }
    ).n;
    const results = (
      db.prepare('SELECT step, result FROM run_results ORDER BY run_id, step').all() as {
        step: number;
        result: string;
      }[]
    ).map((r) => `${r.step}:${r.result}`);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return { runs, dupes, results };
  } finally {
    db.close();
  }
}

describe('hclab run: killed at random instants, resumed to completion', () => {
  it(`survives at least ${MIN_KILLS} SIGKILLs with no lost or duplicated steps`, async () => {
    const dir = tempDir();
    const template = path.join(dir, 'template.hclab');
    makeProject(template);

    // An uninterrupted run gives the expected results and the run's duration.
    const reference = path.join(dir, 'reference.hclab');
    copyFileSync(template, reference);
    const ref = runCli(reference);
    expect(await ref.exited).toBe(0);
    const duration = performance.now() - ref.startedAt;
    const expected = stored(reference);
    expect(expected.runs).toEqual([{ id: 1, state: 'done' }]);
    expect(expected.results).toHaveLength(VMS);
    // A run with nothing left to do measures the fixed cost (start-up, open, close).
    const empty = runCli(reference);
    expect(await empty.exited).toBe(0);
    const fixed = performance.now() - empty.startedAt;
    const perStep = Math.max(10, (duration - fixed) / VMS);

    const random = prng(20260101);
    let kills = 0;
    let projects = 0;
    /** Kills that landed while the run existed and was not finished. */
    let midRun = 0;
    while (kills < MIN_KILLS) {
      const file = path.join(dir, `p${projects++}.hclab`);
      copyFileSync(template, file);
      for (let k = 0; k < KILLS_PER_PROJECT && kills < MIN_KILLS; k++) {
        // Spread the kills over what this child still has to do: start-up and the missing steps.
        const window = fixed + (VMS - stored(file).results.length) * perStep;
        const child = runCli(file);
        const delay = random() * window;
        await new Promise((r) => setTimeout(r, delay));
        child.kill();
        // A child that finished just before the signal exits 0 (not counted as a kill).
        const status = await child.exited;
        expect([0, 'SIGKILL']).toContain(status);
        const killed = status === 'SIGKILL';
        if (killed) kills++;
        const mid = stored(file);
        if (killed && mid.runs.length === 1 && mid.runs[0].state !== 'done') {
          midRun++;
          // The run's process is gone: even a read-only open lists it as interrupted.
          const ro = ProjectStore.open(file, { readOnly: true });
          expect(ro.info().interruptedRuns).toEqual([1]);
          ro.close();
        }
        expect(mid.dupes).toBe(0);
        expect(mid.runs.length).toBeLessThanOrEqual(1);
        // Whatever was stored so far is exactly what the uninterrupted run stored.
        for (const r of mid.results) expect(expected.results).toContain(r);
      }
      const last = runCli(file);
      expect(await last.exited).toBe(0);
      const got = stored(file);
      expect(got.runs).toEqual([{ id: 1, state: 'done' }]);
      expect(got.dupes).toBe(0);
      expect(got.results).toEqual(expected.results);
      // Opening it afterwards finds nothing interrupted.
      const s = ProjectStore.open(file, { readOnly: true });
      expect(s.info().interruptedRuns).toEqual([]);
      s.close();
    }
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(midRun).toBeGreaterThanOrEqual(MIN_KILLS / 5);
  });
});
