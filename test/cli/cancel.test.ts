import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './run-cli.js';

describe('hclab cancellation', () => {
  it('Ctrl-C (SIGINT) cancels a long simulation: "cancelled" and exit 130', async () => {
    // 10^9 references cannot finish before the signal arrives.
    const child = spawn(
      process.execPath,
      [
        path.join(REPO, 'dist/main/cli/hclab.js'),
        'simulate',
        '--workload',
        'zipf:pages=100000,refs=1000000000',
        '--guest-pages',
        '1000',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Send Ctrl-C once the CLI is busy simulating, so a slow start on a loaded machine cannot
    // turn the test into "killed by a signal before the handler existed".
    await waitForCpuSecond(child.pid!);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('hclab: cancelled');
  });
});

/**
 * Resolves once process `pid` has used one second of CPU time (utime + stime in
 * /proc/PID/stat, 100 ticks a second): by then it has long started the simulation and
 * installed its Ctrl-C handler, however loaded the machine is.
 */
async function waitForCpuSecond(pid: number): Promise<void> {
  for (;;) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields after "comm)": state is index 0, utime 11, stime 12.
    if (Number(fields[11]) + Number(fields[12]) >= 100) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
