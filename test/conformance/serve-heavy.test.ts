/**
 * Heavy API calls never block `hclab serve` (issue 11, point 3): while an allocation runs in a
 * job worker the server still answers, and SIGTERM stops it (the job is terminated, the project
 * closed and its lock released). No timing assertions: the test only needs the process to exit.
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
import { runStep } from '../../main/service/runs/step.js';
import { ProjectStore } from '../../main/store/project-store.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'dist/main/cli/hclab.js');
const dir = mkdtempSync(join(tmpdir(), 'hclab-heavy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A project with one finished run of two small VMs. */
async function projectWithRun(file: string): Promise<number> {
  const store = ProjectStore.create(file);
  for (const name of ['a', 'b'])
    store.vms.save({
      name,
      workload: { kind: 'uniform', pages: 200, refs: 5000, seed: name === 'a' ? 1 : 2 },
      guestPages: 100,
      hvPages: 50,
    });
  const exp = store.experiments.save({ name: 'e', vmNames: ['a', 'b'], methods: ['exact'] });
  const run = store.runs.create(exp.id);
  const snap = store.runs.snapshot(run.id);
  for (const [step, vm] of snap.vms.entries()) {
    const result = await runStep(
      { experiment: { ...snap.experiment, vms: [vm] }, baseDir: dir },
      {},
    );
    store.runs.commitStep(run.id, step, result);
  }
  store.runs.setState(run.id, 'done');
  store.close();
  return run.id;
}

describe('hclab serve with a heavy call running', () => {
  it('answers other calls meanwhile and exits after SIGTERM', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first`).toBe(true);
    const path = join(dir, 'heavy.hclab');
    const runId = await projectWithRun(path);
    const child = spawn(process.execPath, [CLI, 'serve', path], {
      cwd: dir,
      env: { ...process.env, HCLAB_RECENT_FILE: join(dir, 'recent.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const firstLine = await new Promise<string>((r) =>
      createInterface({ input: child.stdout }).once('line', r),
    );
    const m = /^HCLab web UI: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)$/.exec(firstLine);
    expect(m, firstLine).not.toBeNull();
    const client = createWebClient(
      m![1],
      m![2],
      WebSocket as unknown as typeof globalThis.WebSocket,
    );

    // 2 VMs × 2,000,001 quanta with the limit raised: the DP would take hours.
    const heavy = client
      .call('alloc.compute', {
        runId,
        memory: 2_000_000,
        quantum: 1,
        resimulate: false,
        sources: ['exact'],
        limits: { maxQuanta: 5_000_000 },
      })
      .then(
        () => 'finished',
        (err: { code?: string }) => err.code ?? 'failed',
      );
    // The event loop is free: other calls are answered while the allocation runs.
    expect(await client.call('project.current', {})).toMatchObject({ path });
    expect(await client.call('run.list', {})).toHaveLength(1);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await heavy).not.toBe('finished');
    // The lock was released: the project opens read-write again.
    const other = createApiService({});
    await other.handle('project.open', { path });
    await other.close();
  });
});
