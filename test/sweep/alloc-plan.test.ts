/**
 * `hclab sweep plan` with an `allocation:` block: one allocation task per policy × V × C × G ×
 * seed × M × α, each over every trace/workload of the grid (explicit runs take no part), after
 * every curve task; deterministic; a bad block is one line naming the field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSweep, writePlan } from '../../main/sweep/plan.js';
import { isAllocTask, isCurveTask, type AllocTask } from '../../main/sweep/task.js';
import { ValidationError } from '../../shared/schema/format.js';
import { tempDir } from '../store/helpers.js';
import { writeVolumes } from './helpers.js';

const SWEEP = `name: alloc-grid
traces: [{ path: volumes/*.csv.gz, format: msr }]
workloads: ["zipf:pages=3000,refs=20000", "loop:pages=900,refs=5000", "preset:tpcc,pages=1500,refs=6000"]
policies: [lru, clock]
guestPages: [300, 600]
hvPages: [200]
ghostPages: [400]
methods: [exact, hypervisor, esx]
seeds: [1, 2]
runs: [{ workload: "loop:pages=50,refs=100" }]
allocation:
  memory: [1000, 2000]
  alpha: [0, 0.1, .inf]
  quantum: 10
`;

function sweepFile(dir: string, text: string): string {
  const f = path.join(dir, 'sweep.yaml');
  writeFileSync(f, text);
  return f;
}

async function planError(dir: string, text: string): Promise<string> {
  try {
    await planSweep(sweepFile(dir, text));
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected the plan to fail');
}

describe('sweep plan: allocation tasks', () => {
  it('adds one task per policy × V × C × G × seed × M × α over every grid trace/workload', async () => {
    const dir = tempDir();
    writeVolumes(dir, ['hm_1', 'web_2'], 300);
    const plan = await planSweep(sweepFile(dir, SWEEP));
    const curves = plan.tasks.filter(isCurveTask);
    const allocs = plan.tasks.filter(isAllocTask);
    // Grid: 5 sources × 2 policies × 2 V × 1 C × 1 G × 2 seeds = 40, then 1 explicit run.
    expect(curves).toHaveLength(41);
    // 8 groups × 2 M × 3 α.
    expect(allocs).toHaveLength(8 * 2 * 3);
    // Allocation tasks come last, numbered on from the curve tasks.
    expect(plan.tasks.slice(0, 41).every(isCurveTask)).toBe(true);
    expect(allocs.map((t) => t.index)).toEqual(Array.from({ length: 48 }, (_, i) => 41 + i));
    expect(allocs.map((t) => t.id)).toEqual(
      allocs.map((t) => `t${String(t.index).padStart(5, '0')}`),
    );

    const byId = new Map(curves.map((t) => [t.id, t]));
    const explicit = curves[40];
    const seen = new Set<string>();
    for (const a of allocs) {
      // Every grid source once, in grid order, all with the task's own axes; never the run.
      expect(a.members).toHaveLength(5);
      expect(a.members).not.toContain(explicit.id);
      const members = a.members.map((id) => byId.get(id));
      expect(members.map((m) => m?.source)).toEqual([
        'volumes/hm_1.csv.gz',
        'volumes/web_2.csv.gz',
        'zipf:pages=3000,refs=20000',
        'loop:pages=900,refs=5000',
        'preset:tpcc,pages=1500,refs=6000',
      ]);
      expect(a.sources).toEqual(members.map((m) => m?.source));
      for (const m of members) {
        expect([m?.policy, m?.guestPages, m?.hvPages, m?.ghostPages, m?.seed]).toEqual([
          a.policy,
          a.guestPages,
          a.hvPages,
          a.ghostPages,
          a.seed,
        ]);
      }
      // Self-contained: each member's VM exactly as its curve task simulates it, and the same
      // methods, sizes, ESX (seeded) and SHARDS settings.
      expect(a.experiment.vms).toEqual(members.map((m) => m?.experiment.vms[0]));
      const { name: _n, vms: _v, ...settings } = a.experiment;
      const { name: _m, vms: _w, ...memberSettings } = members[0]?.experiment ?? {};
      expect(settings).toEqual(memberSettings);
      expect(a.references).toBe(members.reduce((s, m) => s + (m?.references ?? 0), 0));
      expect(a.request).toEqual({
        memory: a.memory,
        quantum: 10,
        vms: a.members.map((name) => ({ name, tolerance: a.alpha })),
        sources: ['exact', 'hypervisor', 'esx'],
        resimulate: true,
      });
      seen.add(JSON.stringify([a.policy, a.guestPages, a.seed, a.memory, a.alpha]));
    }
    // Every combination once.
    expect(seen.size).toBe(48);
    expect(new Set(allocs.map((a) => a.alpha))).toEqual(new Set([0, 0.1, 'inf']));
    // The work estimate counts the allocation tasks' simulations too.
    expect(plan.references).toBe(plan.tasks.reduce((s, t) => s + (t.references ?? 0), 0));
  });

  it('writes the same tasks.jsonl every time, and the curve tasks as without allocation', async () => {
    const dir = tempDir();
    writeVolumes(dir, ['a', 'b'], 100);
    const file = sweepFile(dir, SWEEP);
    const out = path.join(dir, 'out');
    expect(writePlan(out, file, await planSweep(file))).toBe('written');
    const text = readFileSync(path.join(out, 'tasks.jsonl'), 'utf8');
    expect(writePlan(out, file, await planSweep(file))).toBe('unchanged');
    expect(readFileSync(path.join(out, 'tasks.jsonl'), 'utf8')).toBe(text);
    // Adding an allocation block does not change a curve task's line (nor its result's hash).
    const without = await planSweep(sweepFile(dir, SWEEP.slice(0, SWEEP.indexOf('allocation:'))));
    const lines = text.split('\n').filter(Boolean);
    expect(lines.slice(0, without.tasks.length)).toEqual(
      without.tasks.map((t) => JSON.stringify(t)),
    );
    const alloc = JSON.parse(lines[lines.length - 1]) as AllocTask;
    expect(alloc.kind).toBe('alloc');
    // Plain JSON: α = ∞ is kept as 'inf'.
    expect(alloc.alpha).toBe('inf');
  });

  it('defaults: α = inf, the sweep’s allocation methods, static mode', async () => {
    const dir = tempDir();
    const plan = await planSweep(
      sweepFile(
        dir,
        'name: d\nworkloads: ["loop:pages=10,refs=50", "loop:pages=20,refs=50"]\nmethods: [exact, shards]\nallocation: { memory: [64] }\n',
      ),
    );
    const allocs = plan.tasks.filter(isAllocTask);
    expect(allocs).toHaveLength(1);
    expect(allocs[0].request.sources).toEqual(['exact']);
    expect(allocs[0].request.vms).toEqual([
      { name: 't00000', tolerance: 'inf' },
      { name: 't00001', tolerance: 'inf' },
    ]);
  });

  it('plans examples/sweep-allocation.yaml as its comment says', async () => {
    const file = path.resolve(import.meta.dirname, '../../examples/sweep-allocation.yaml');
    const plan = await planSweep(file, { countTraces: false });
    expect(plan.tasks.filter(isCurveTask)).toHaveLength(16);
    const allocs = plan.tasks.filter(isAllocTask);
    expect(allocs).toHaveLength(24);
    for (const a of allocs) expect(a.members).toHaveLength(4);
  });

  it('names the field of a bad allocation block in one line', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'sweep.yaml');
    const head = 'name: x\nworkloads: ["loop:pages=10", "loop:pages=20"]\nmethods: [exact]\n';
    const errors: [string, string | RegExp][] = [
      [
        'allocation: { alpha: [0] }',
        `${f}: allocation.memory: missing (expected a list of host memory sizes M (pages))`,
      ],
      [
        'allocation: { memory: [] }',
        `${f}: allocation.memory: expected at least one of host memory sizes M (pages), got an empty list`,
      ],
      [
        'allocation: { memory: [0] }',
        `${f}: allocation.memory[0]: expected a positive integer, got 0`,
      ],
      ['allocation: { memory: [100, 100] }', `${f}: allocation.memory[1]: 100 is listed twice`],
      [
        'allocation: { memory: [100], alpha: [-1] }',
        `${f}: allocation.alpha[0]: expected a tolerance α ≥ 0, or 'inf' for no isolation constraint, got -1`,
      ],
      [
        'allocation: { memory: [100], methods: [esx] }',
        `${f}: allocation.methods[0]: esx needs the esx MRC method: add it to the sweep's methods (exact)`,
      ],
      [
        'allocation: { memory: [100], methods: [shards] }',
        /^.*sweep\.yaml: allocation\.methods\[0\]: expected one of 'exact', 'hypervisor', 'esx'.*shards/,
      ],
      [
        'allocation: { memory: [100], mode: online }',
        /^.*sweep\.yaml: allocation\.mode: expected 'static'/,
      ],
      [
        'allocation: { memory: [100], tau: 1 }',
        /^.*sweep\.yaml: allocation\.tau: expected a number in \[0, 1\)/,
      ],
      ['allocation: { memory: [100], colour: red }', /^.*sweep\.yaml: allocation.*colour/],
    ];
    for (const [block, expected] of errors) {
      const message = await planError(dir, head + block + '\n');
      expect(message.split('\n')).toHaveLength(1);
      if (typeof expected === 'string') expect(message).toBe(expected);
      else expect(message).toMatch(expected);
    }
    expect(
      await planError(
        dir,
        'name: x\nworkloads: ["loop:pages=10"]\nmethods: [exact]\nallocation: { memory: [100] }\n',
      ),
    ).toBe(
      `${f}: allocation: needs at least 2 VMs to share memory: every trace/workload of the grid is one VM of each allocation (explicit runs take no part), and the grid has 1`,
    );
    expect(
      await planError(
        dir,
        'name: x\nworkloads: ["loop:pages=10"]\nmethods: [shards]\nallocation: { memory: [100] }\n',
      ),
    ).toBe(
      `${f}: allocation.methods: none of the sweep's methods (shards) is an allocation method: add exact, hypervisor or esx to methods`,
    );
  });
});
