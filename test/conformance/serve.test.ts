/**
 * `hclab serve`: the built CLI prints the URL first, serves the API with the token, and on
 * SIGTERM closes the project (its lock is released) and exits 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebClient } from '../../shared/api/web-client.js';
import { createApiService } from '../../main/service/api/api-service.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'dist/main/cli/hclab.js');
const dir = mkdtempSync(join(tmpdir(), 'hclab-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hclab serve', () => {
  it('prints the URL first, serves the project, and closes it on SIGTERM', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first`).toBe(true);
    const path = join(dir, 'served.hclab');
    const creator = createApiService({});
    await creator.handle('project.create', { path });
    await creator.close();

    const child = spawn(process.execPath, [CLI, 'serve', path], {
      cwd: dir,
      env: { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const firstLine = await new Promise<string>((r, reject) => {
      createInterface({ input: child.stdout }).once('line', r);
      child.once('exit', () => reject(new Error('hclab serve exited before printing its URL')));
    });
    const m = /^HCLab web UI: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)$/.exec(firstLine);
    expect(m, firstLine).not.toBeNull();
    const client = createWebClient(
      m![1],
      m![2],
      WebSocket as unknown as typeof globalThis.WebSocket,
    );
    expect(await client.call('project.current', {})).toMatchObject({ path, readOnly: false });

    // While served, the project is locked for everyone else.
    const other = createApiService({});
    await expect(other.handle('project.open', { path })).rejects.toMatchObject({ code: 'LOCKED' });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await other.handle('project.open', { path });
    await other.close();
  });
});
