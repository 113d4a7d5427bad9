/**
 * Progress and cancel of a heavy call over every transport (issue 11): alloc.compute started with
 * a jobId sends job.progress events while it computes in a worker, the server answers other calls
 * meanwhile, and job.cancel stops it: the call fails with CANCELLED and nothing is stored. The
 * allocation is far too large to finish (the DP would take hours), so no timing is assumed; the
 * same for a crash.run on a workload of 10^9 references.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient, ApiEvent, EventPayload } from '../../shared/api/contract.js';
import { ApiError } from '../../shared/api/errors.js';
import { TRANSPORTS, type Transport } from './transports.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function vm(name: string, seed: number) {
  return {
    name,
    workload: { kind: 'uniform', pages: 200, refs: 5000, seed },
    guestPages: 100,
    hvPages: 50,
  };
}

async function finishedRun(api: ApiClient): Promise<number> {
  await api.call('vm.save', { vm: vm('a', 1) });
  await api.call('vm.save', { vm: vm('b', 2) });
  const exp = await api.call('experiment.save', {
    experiment: { name: 'two', vmNames: ['a', 'b'], methods: ['exact'] },
  });
  const runId = (await api.call('run.start', { experimentId: exp.id })).id;
  await expect
    .poll(async () => (await api.call('run.get', { runId })).state, { timeout: 60_000 })
    .toBe('done');
  return runId;
}

type Progress = EventPayload<'job.progress'>;

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null)(`job progress and cancel over ${factory.name}`, () => {
    let t: Transport;
    let api: ApiClient;
    let dir: string;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hclab-jobs-'));
      tempDirs.push(dir);
      t = await factory.create(dir);
      api = t.client;
    });
    afterEach(async () => {
      await t.close();
    });

    it('a large allocation reports progress, other calls are answered, job.cancel stops it', async () => {
      const path = join(dir, 'jobs.hclab');
      await api.call('project.create', { path });
      const runId = await finishedRun(api);
      const progress: Progress[] = [];
      const off = api.onEvent((e: ApiEvent) => {
        if (e.event === 'job.progress') progress.push(e.payload as Progress);
      });

      // 2 VMs × 2,000,001 quanta (limit raised): 8·10^12 DP steps, hours of work.
      const request = {
        runId,
        memory: 2_000_000,
        quantum: 1,
        resimulate: false,
        sources: ['exact' as const],
        limits: { maxQuanta: 5_000_000 },
      };
      const heavy = api.call('alloc.compute', { ...request, jobId: 'big-1' }).then(
        () => null,
        (err: unknown) => err,
      );
      await expect
        .poll(() => progress.some((p) => p.jobId === 'big-1' && (p.percent ?? 0) > 0), {
          timeout: 60_000,
        })
        .toBe(true);

      // The server answers meanwhile; a second job with the same id is refused.
      expect(await api.call('project.current', {})).toMatchObject({ path });
      expect(await api.call('run.list', {})).toHaveLength(1);
      const twice = await api.call('alloc.compute', { ...request, jobId: 'big-1' }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(twice).toBeInstanceOf(ApiError);
      expect((twice as ApiError).code).toBe('BAD_INPUT');
      expect((twice as ApiError).message).toContain("'big-1' is already running");

      expect(await api.call('job.cancel', { jobId: 'big-1' })).toEqual({
        ok: true,
        cancelled: true,
      });
      const err = await heavy;
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('CANCELLED');
      expect((err as ApiError).message).toContain('job.cancel big-1');
      off();

      // Nothing runs under that id any more, nothing was stored; the id can be used again.
      expect(await api.call('job.cancel', { jobId: 'big-1' })).toEqual({
        ok: true,
        cancelled: false,
      });
      expect(await api.call('analysis.list', { kind: 'alloc' })).toEqual([]);
      const ours = progress.filter((p) => p.jobId === 'big-1');
      expect(ours.every((p) => p.what === 'exact DP')).toBe(true);
      const percents = ours.map((p) => p.percent).filter((p): p is number => p !== null);
      expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));

      const small = await api.call('alloc.compute', {
        runId,
        memory: 300,
        sources: ['exact'],
        resimulate: false,
        jobId: 'big-1',
      });
      expect(small.feasible).toBe(true);
    });

    it('a long crash.run reports progress and job.cancel stops it, storing nothing', async () => {
      await api.call('project.create', { path: join(dir, 'crash.hclab') });
      // 10^9 references: hours of simulation, so it is still running when cancelled.
      await api.call('vm.save', {
        vm: {
          name: 'long',
          workload: {
            kind: 'zipf',
            pages: 50_000,
            refs: 1_000_000_000,
            seed: 5,
            writeFraction: 0.3,
          },
          guestPages: 60_000,
        },
      });
      const progress: Progress[] = [];
      const off = api.onEvent((e: ApiEvent) => {
        if (e.event === 'job.progress') progress.push(e.payload as Progress);
      });
      const heavy = api.call('crash.run', { vmName: 'long', trials: 10, jobId: 'crash-1' }).then(
        () => null,
        (err: unknown) => err,
      );
      await expect
        .poll(() => progress.some((p) => p.jobId === 'crash-1' && (p.percent ?? 0) > 0), {
          timeout: 60_000,
        })
        .toBe(true);
      expect(await api.call('vm.list', {})).toHaveLength(1);
      expect(await api.call('job.cancel', { jobId: 'crash-1' })).toEqual({
        ok: true,
        cancelled: true,
      });
      const err = await heavy;
      off();
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('CANCELLED');
      expect(await api.call('analysis.list', { kind: 'crash' })).toEqual([]);
      const percents = progress
        .filter((p) => p.jobId === 'crash-1')
        .map((p) => p.percent)
        .filter((p): p is number => p !== null);
      expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    });

    it('refuses a malformed jobId with BAD_INPUT naming the field', async () => {
      const bad = await api.call('job.cancel', { jobId: 'no spaces/slashes' }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(bad).toBeInstanceOf(ApiError);
      expect((bad as ApiError).code).toBe('BAD_INPUT');
      expect((bad as ApiError).message).toContain('jobId');
    });
  });
}
