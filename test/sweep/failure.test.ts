/**
 * A task that fails (its trace vanished after planning): `sweep run` stores the other results,
 * records the message in errors/TASK.txt and exits 1; `status` shows it failed with the reason;
 * once the trace is back, running again computes only that task and clears the error.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclab } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';
import { writeVolumes } from './helpers.js';

const SWEEP = `name: flaky
traces: [{ path: volumes/*.csv.gz, format: msr }]
guestPages: [100, 200]
methods: [exact]
`;

describe('hclab sweep: a failing task', () => {
  it('is recorded with its reason, reported by status, and retried by the next run', () => {
    const root = tempDir();
    const [a] = writeVolumes(root, ['a_0', 'b_0'], 300);
    const file = path.join(root, 'flaky.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'out');
    expect(hclab(['--quiet', 'sweep', 'plan', file, '--out', dir]).status).toBe(0);
    renameSync(a, `${a}.away`);

    const run = hclab(['sweep', 'run', dir, '--workers', '2']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('t00000 failed:');
    expect(run.stderr).toContain('2 task(s) failed');
    expect(existsSync(path.join(dir, 'results', 't00002.json'))).toBe(true);
    expect(readFileSync(path.join(dir, 'errors', 't00000.txt'), 'utf8')).toContain('a_0.csv.gz');

    const status = JSON.parse(hclab(['sweep', 'status', dir, '--json']).stdout) as {
      counts: Record<string, number>;
      tasks: Record<string, string>;
      reasons: Record<string, string>;
    };
    expect(status.counts).toMatchObject({ done: 2, failed: 2, pending: 0 });
    expect(status.tasks).toEqual({
      t00000: 'failed',
      t00001: 'failed',
      t00002: 'done',
      t00003: 'done',
    });
    expect(status.reasons.t00001).toContain('a_0.csv.gz');
    expect(hclab(['sweep', 'status', dir]).stdout).toContain('2 task(s) failed');

    renameSync(`${a}.away`, a);
    const before = readFileSync(path.join(dir, 'results', 't00002.json'), 'utf8');
    const again = hclab(['sweep', 'run', dir]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('2 task(s) computed, 2 already done, 0 failed');
    expect(existsSync(path.join(dir, 'errors', 't00000.txt'))).toBe(false);
    expect(readFileSync(path.join(dir, 'results', 't00002.json'), 'utf8')).toBe(before);
    expect(hclab(['sweep', 'status', dir]).stdout).toContain('4 tasks — done 4,');
  });
});
