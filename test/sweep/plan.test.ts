/** `hclab sweep plan`: the sweep file's grid, validation messages, and self-contained tasks. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSweep, writePlan } from '../../main/sweep/plan.js';
import { readTasks } from '../../main/sweep/sweep-dir.js';
import { ValidationError } from '../../shared/schema/format.js';
import { tempDir } from '../store/helpers.js';
import { ISSUE_SWEEP, writeVolumes } from './helpers.js';

function sweepFile(dir: string, text: string, name = 'sweep.yaml'): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function planError(dir: string, text: string, name?: string): Promise<string> {
  try {
    await planSweep(sweepFile(dir, text, name));
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected the plan to fail');
}

describe('sweep plan', () => {
  it('expands the issue’s form: (volumes + workloads) × policies × V × C × G × seeds', async () => {
    const dir = tempDir();
    const vols = writeVolumes(dir, ['src1_0', 'hm_1', 'web_2'], 500);
    const plan = await planSweep(sweepFile(dir, ISSUE_SWEEP));
    // 3 volumes + 2 workloads = 5 sources; 2 policies × 2 V × 2 C × 1 G × 2 seeds = 16 each.
    expect(plan.tasks).toHaveLength(5 * 16);
    const sources = [...new Set(plan.tasks.map((t) => t.source))];
    // Globs are expanded in sorted order, relative to the sweep file.
    expect(sources).toEqual([
      'volumes/hm_1.csv.gz',
      'volumes/src1_0.csv.gz',
      'volumes/web_2.csv.gz',
      'zipf:pages=5000,refs=100000,seed=1',
      'preset:tpcc,pages=4000,refs=80000',
    ]);
    const first = plan.tasks[0];
    const w = first.experiment.vms[0].workload as { kind: string; trace: string; format: string };
    expect(w).toMatchObject({ kind: 'trace', format: 'msr' });
    expect(path.isAbsolute(w.trace)).toBe(true);
    expect([...vols].sort()).toContain(w.trace);
    // Every combination appears exactly once, in grid order.
    const keys = plan.tasks.map(
      (t) => `${t.source}|${t.policy}|${t.guestPages}|${t.hvPages}|${t.ghostPages}|${t.seed}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan.tasks.map((t) => t.index)).toEqual(plan.tasks.map((_, i) => i));
    expect(plan.tasks.slice(0, 4).map((t) => [t.policy, t.guestPages, t.hvPages, t.seed])).toEqual([
      ['lru', 500, 0, 1],
      ['lru', 500, 0, 2],
      ['lru', 500, 500, 1],
      ['lru', 500, 500, 2],
    ]);
    // Work estimate: each volume has 500 4 KiB requests = 500 references (counted by reading).
    expect(plan.references).toBe(16 * (3 * 500 + 100_000 + 80_000));
    // The task's seed drives ESX sampling and admission; a workload with its own seed keeps it,
    // one without takes the task's.
    const zipf = plan.tasks.filter((t) => t.source?.startsWith('zipf') && t.seed === 2);
    expect(zipf[0].experiment.esx.seed).toBe(2);
    expect(zipf[0].experiment.vms[0].admissionSeed).toBe(2);
    expect((zipf[0].experiment.vms[0].workload as { seed: number }).seed).toBe(1);
    const tpcc = plan.tasks.filter((t) => t.source?.startsWith('preset') && t.seed === 2);
    expect((tpcc[0].experiment.vms[0].workload as { seed: number }).seed).toBe(2);
    expect(first.experiment.methods).toEqual(['exact', 'hypervisor', 'esx']);
  });

  it('writes tasks.jsonl deterministically; planning again changes nothing', async () => {
    const dir = tempDir();
    writeVolumes(dir, ['a', 'b'], 100);
    const file = sweepFile(dir, ISSUE_SWEEP);
    const out = path.join(dir, 'out');
    expect(writePlan(out, file, await planSweep(file))).toBe('written');
    const text = readFileSync(path.join(out, 'tasks.jsonl'), 'utf8');
    expect(writePlan(out, file, await planSweep(file))).toBe('unchanged');
    expect(readFileSync(path.join(out, 'tasks.jsonl'), 'utf8')).toBe(text);
    const tasks = readTasks(out);
    expect(tasks).toHaveLength(4 * 16);
    expect(text.split('\n').filter(Boolean)).toHaveLength(tasks.length);
  });

  it('accepts JSON and an explicit list of runs', async () => {
    const dir = tempDir();
    const json = JSON.stringify({
      name: 'explicit',
      methods: ['exact'],
      runs: [
        { workload: 'loop:pages=100', guestPages: 50 },
        { workload: { kind: 'uniform', pages: 10, refs: 20 }, policy: 'fifo', seed: 7 },
      ],
    });
    const plan = await planSweep(sweepFile(dir, json, 'sweep.json'));
    expect(plan.tasks.map((t) => [t.policy, t.guestPages, t.seed, t.references])).toEqual([
      ['lru', 50, 1, 100],
      ['fifo', 1024, 7, 20],
    ]);
  });

  it('names the file and the field in every error', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'sweep.yaml');
    expect(await planError(dir, 'name: x\npolicies: [lru]\n')).toBe(
      `${f}: expected traces, workloads (or both), or an explicit list of runs`,
    );
    expect(
      await planError(dir, 'name: x\nworkloads: ["loop:pages=10"]\nguestPages: [500, -5]\n'),
    ).toBe(`${f}: guestPages[1]: expected a positive integer, got -5`);
    expect(
      await planError(dir, 'name: x\nworkloads: ["loop:pages=10"]\npolicies: [lru, mru]\n'),
    ).toMatch(/^.*sweep\.yaml: policies\[1\]: expected one of 'lru', .*got "mru"$/);
    expect(await planError(dir, 'name: x\nworkloads: ["zipf:pages=0,refs=10"]\n')).toBe(
      `${f}: workloads[0]: "zipf:pages=0,refs=10": pages: expected a positive integer, got 0`,
    );
    expect(await planError(dir, 'name: x\ntraces: [{ path: nothing/*.gz }]\n')).toBe(
      `${f}: traces[0].path: no file matches "nothing/*.gz" (relative to ${dir})`,
    );
    expect(await planError(dir, 'name: x\nworkloads: ["loop:pages=10"]\nseeds: [1, 1]\n')).toBe(
      `${f}: seeds[1]: 1 is listed twice`,
    );
    expect(await planError(dir, 'name: x\nworkloads: ["loop:pages=10"]\nhvpages: [1]\n')).toMatch(
      /hvpages/,
    );
  });
});
