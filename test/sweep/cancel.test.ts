/**
 * Ctrl-C during `hclab sweep run`: the running tasks are cancelled (exit 130, "cancelled"), the
 * finished ones keep their results, nothing partial or temporary is left, and a cancelled task is
 * not recorded as failed (status: pending). Uses the compiled CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, hclab } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';

// Two quick tasks, then two that cannot finish before the signal (10^9 references each).
const SWEEP = `name: ctrl-c
runs:
  - { workload: "loop:pages=100,refs=1000" }
  - { workload: "loop:pages=200,refs=1000" }
  - { workload: "zipf:pages=100000,refs=1000000000" }
  - { workload: "zipf:pages=100000,refs=1000000000", seed: 2 }
guestPages: [50]
methods: [exact]
`;

function list(dir: string, sub: string): string[] {
  const d = path.join(dir, sub);
  return existsSync(d) ? readdirSync(d).sort() : [];
}

/** Resolves once process `pid` has used `ticks` hundredths of a second of CPU (all threads). */
async function waitForCpu(pid: number, ticks: number): Promise<void> {
  for (;;) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    if (Number(fields[11]) + Number(fields[12]) >= ticks) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hclab sweep run: Ctrl-C', () => {
  it('cancels the running tasks, keeps the finished ones, leaves nothing partial', async () => {
    const root = tempDir();
    const file = path.join(root, 'c.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'out');
    const plan = hclab(['--quiet', 'sweep', 'plan', file, '--out', dir]);
    expect(plan.status, plan.stderr).toBe(0);
    const child = spawn(
      process.execPath,
      [path.join(REPO, 'dist/main/cli/hclab.js'), 'sweep', 'run', dir, '--workers', '2'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Both quick tasks are stored, then the long ones run (two CPU seconds on top).
    for (;;) {
      if (list(dir, 'results').filter((n) => !n.startsWith('.')).length === 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitForCpu(child.pid!, 200);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('hclab: cancelled');
    expect(list(dir, 'results')).toEqual(['t00000.json', 't00001.json']);
    expect(list(dir, 'errors')).toEqual([]);
    const status = hclab(['sweep', 'status', dir, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      counts: { done: 2, failed: 0, pending: 2 },
    });
  });
});
