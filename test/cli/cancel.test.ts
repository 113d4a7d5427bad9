import { spawn } from 'node:child_process';
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
    setTimeout(() => child.kill('SIGINT'), 1000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('hclab: cancelled');
  });
});
