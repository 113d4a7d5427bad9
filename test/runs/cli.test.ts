/** `hclab project new`, `hclab run`, `hclab results` on real project files (compiled CLI). */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../shared/api/entities.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { REPO, hclab } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';

const EXPERIMENT = `name: cli-exp
vms:
  - name: gen
    workload: { kind: zipf, pages: 2000, refs: 30000, seed: 3 }
    guestPages: 200
    hvPages: 100
    ghostPages: 200
  - name: tr
    workload: { trace: traces/t.txt }
    guestPages: 50
methods: [exact, hypervisor, esx]
sizes: [10, 100, 300]
`;

function setup(): { dir: string; file: string } {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'exp', 'traces'), { recursive: true });
  writeFileSync(path.join(dir, 'exp', 'e.yaml'), EXPERIMENT);
  writeFileSync(
    path.join(dir, 'exp', 'traces', 't.txt'),
    Array.from({ length: 2000 }, (_, i) => String((i * 13) % 300)).join('\n') + '\n',
  );
  return { dir, file: path.join(dir, 'p.hclab') };
}

describe('hclab project / run / results', () => {
  it('creates a project from an experiment file, runs it and prints its results', () => {
    const { dir, file } = setup();
    const created = hclab(['project', 'new', file, '--from', path.join(dir, 'exp', 'e.yaml')]);
    expect(created.status).toBe(0);
    expect(created.stdout.trim()).toBe(file);
    const s = ProjectStore.open(file, { readOnly: true });
    const tr = s.vms.list().find((v) => v.vm.name === 'tr');
    expect(tr?.vm.workload).toMatchObject({ trace: path.join(dir, 'exp', 'traces', 't.txt') });
    expect(s.experiments.list()[0].experiment).toMatchObject({
      name: 'cli-exp',
      vmNames: ['gen', 'tr'],
      methods: ['exact', 'hypervisor', 'esx'],
      sizes: [10, 100, 300],
    });
    s.close();
    expect(hclab(['project', 'new', file]).status).toBe(2); // exists already

    // The project runs from another working directory: trace paths are absolute.
    const run = hclab(['run', file], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('run 1 (cli-exp): done');
    expect(hclab(['run', file]).stderr).toContain('nothing to run');

    const csv = hclab(['results', file, '--csv']);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('run,vm,method,size,misses,miss_ratio');
    expect(lines).toHaveLength(1 + 2 * 3 * 3);
    expect(
      lines
        .slice(1)
        .every((l) => /^1,(gen|tr),(exact|hypervisor|esx),(10|100|300),\d*,[\d.]*$/.test(l)),
    ).toBe(true);

    const json = JSON.parse(hclab(['results', file, '--json']).stdout) as RunDetail[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ id: 1, state: 'done', stepsDone: 2, stepsTotal: 2 });
    expect(json[0].results.map((r) => r.name)).toEqual(['gen', 'tr']);
    expect(json[0].results[1].stats.references).toBe(2000);

    const table = hclab(['results', file]);
    expect(table.stdout).toContain('run 1 — cli-exp: done, 2/2 VM(s)');
    // ESX is scored against the working set, not given an MAE column.
    expect(table.stdout).not.toContain('MAE esx');
    expect(table.stdout).toMatch(/esx tr vs true working set \(distinct pages per period\): /);
    // --experiment NAME runs it again.
    expect(hclab(['--quiet', 'run', file, '--experiment', 'cli-exp']).status).toBe(0);
    expect((JSON.parse(hclab(['results', file, '--json']).stdout) as RunDetail[])[0].id).toBe(2);
    expect(hclab(['results', file, '--run', '1', '--json']).status).toBe(0);
    expect(hclab(['run', file, '--experiment', 'nope']).status).toBe(2);
  });

  it('exit 1 when a run fails; corrupt or locked files are clear errors', () => {
    const { dir, file } = setup();
    const s = ProjectStore.create(file);
    s.vms.save({ name: 'bad', workload: { trace: 'nope.txt' } });
    s.experiments.save({ name: 'x', vmNames: ['bad'], methods: [] });
    s.close();
    const r = hclab(['run', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/run 1 \(x\) failed: .*nope\.txt/);
    // Open here: the CLI reports LOCKED (results, read-only, works).
    const open = ProjectStore.open(file);
    const locked = hclab(['run', file]);
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(/open in another HCLab instance/);
    expect(hclab(['results', file]).status).toBe(0);
    open.close();
    const bad = path.join(dir, 'bad.hclab');
    writeFileSync(bad, 'hello');
    const c = hclab(['run', bad]);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain(`${bad}: not an HCLab project`);
  });

  it('Ctrl-C cancels the run: exit 130, run cancelled', async () => {
    const { file } = setup();
    const s = ProjectStore.create(file);
    s.vms.save({ name: 'long', workload: { kind: 'zipf', pages: 100000, refs: 1e9 } });
    s.experiments.save({ name: 'long', vmNames: ['long'], methods: [] });
    s.close();
    const child = spawn(
      process.execPath,
      [path.join(REPO, 'dist/main/cli/hclab.js'), 'run', file],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('running')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('run 1 (long): cancelled');
    const r = ProjectStore.open(file, { readOnly: true });
    expect(r.runs.summary(1).state).toBe('cancelled');
    r.close();
  });
});
