/**
 * Stored analyses over every transport: alloc.compute and crash.run keep their results with
 * their parameters in the project; analysis.list / get / remove; they survive closing and
 * reopening the project; a read-only project stores nothing.
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

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

function vm(name: string, seed: number) {
  return {
    name,
    workload: { kind: 'zipf', pages: 300, alpha: 0.9, refs: 3000, seed, writeFraction: 0.3 },
    guestPages: 64,
    hvPages: 64,
    ghostPages: 128,
  };
}

async function finishedRun(api: ApiClient): Promise<number> {
  await api.call('vm.save', { vm: vm('a', 1) });
  await api.call('vm.save', { vm: vm('b', 2) });
  const exp = await api.call('experiment.save', {
    experiment: { name: 'two', vmNames: ['a', 'b'], methods: ['exact', 'hypervisor'] },
  });
  let runId = -1;
  const done = new Promise<void>((resolve) => {
    const off = api.onEvent((e: ApiEvent) => {
      const s = e.payload as EventPayload<'run.state'>;
      if (e.event === 'run.state' && s.id === runId && s.state === 'done') {
        off();
        resolve();
      }
    });
  });
  runId = (await api.call('run.start', { experimentId: exp.id })).id;
  // The run may have finished before runId was set: poll its state too.
  await Promise.race([
    done,
    expect
      .poll(async () => (await api.call('run.get', { runId })).state, { timeout: 60_000 })
      .toBe('done'),
  ]);
  return runId;
}

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null)(`stored analyses over ${factory.name}`, () => {
    let dir: string;
    let t: Transport;
    let api: ApiClient;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hclab-analyses-'));
      tempDirs.push(dir);
      t = await factory.create(dir);
      api = t.client;
    });
    afterEach(async () => {
      await t.close();
    });

    it('keeps allocation and crash results with their parameters; lists, gets, removes them', async () => {
      const path = join(dir, 'kept.hclab');
      await api.call('project.create', { path });
      expect(await api.call('analysis.list', {})).toEqual([]);
      const runId = await finishedRun(api);

      const alloc = await api.call('alloc.compute', {
        runId,
        memory: 256,
        sources: ['exact'],
        resimulate: false,
      });
      expect(alloc.analysisId).toBeGreaterThan(0);
      const crash = await api.call('crash.run', {
        vmName: 'a',
        strategies: ['os-delayed', 'write-through'],
        trials: 20,
        seed: 3,
      });
      expect(crash.analysisId).toBeGreaterThan(alloc.analysisId as number);

      const all = await api.call('analysis.list', {});
      expect(all.map((a) => [a.id, a.kind])).toEqual([
        [crash.analysisId, 'crash'],
        [alloc.analysisId, 'alloc'],
      ]);
      expect(all[1]).toMatchObject({ runId, vmName: null });
      expect(all[1].title).toContain(`run #${runId}`);
      expect(all[0]).toMatchObject({ runId: null, vmName: 'a' });
      expect(all[0].hclabVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect((await api.call('analysis.list', { kind: 'alloc' })).map((a) => a.id)).toEqual([
        alloc.analysisId,
      ]);

      const a = await api.call('analysis.get', { id: alloc.analysisId as number });
      if (a.kind !== 'alloc') throw new Error('expected an allocation');
      // The parameters with their defaults, and the very report alloc.compute returned.
      expect(a.params).toMatchObject({ runId, memory: 256, sources: ['exact'], resimulate: false });
      const { analysisId: _a, ...allocReport } = alloc;
      expect(a.report).toEqual(allocReport);

      const c = await api.call('analysis.get', { id: crash.analysisId as number });
      if (c.kind !== 'crash') throw new Error('expected a crash analysis');
      expect(c.params).toMatchObject({ vmName: 'a', trials: 20, seed: 3, logFlushMs: 100 });
      expect(c.vm).toMatchObject({ name: 'a', guestPages: 64 });
      const { analysisId: _c, ...crashReport } = crash;
      expect(c.report).toEqual(crashReport);

      // Kept in the file: close, reopen, still there.
      await api.call('project.close', {});
      await api.call('project.open', { path });
      expect((await api.call('analysis.list', {})).map((x) => x.id)).toEqual(all.map((x) => x.id));

      expect(await api.call('analysis.remove', { id: alloc.analysisId as number })).toEqual({
        ok: true,
      });
      expect((await api.call('analysis.list', {})).map((x) => x.id)).toEqual([crash.analysisId]);
      const gone = await failure(api.call('analysis.get', { id: alloc.analysisId as number }));
      expect(gone.code).toBe('NOT_FOUND');
      const again = await failure(api.call('analysis.remove', { id: alloc.analysisId as number }));
      expect(again.code).toBe('NOT_FOUND');
      expect((await failure(api.call('analysis.get', { id: -1 }))).code).toBe('BAD_INPUT');

      // Read-only: computed, not stored.
      await api.call('project.close', {});
      await api.call('project.open', { path, readOnly: true });
      const ro = await api.call('crash.run', { vmName: 'a', strategies: ['hv-rescue'], trials: 5 });
      expect(ro.analysisId).toBeUndefined();
      expect((await api.call('analysis.list', {})).map((x) => x.id)).toEqual([crash.analysisId]);
      const denied = await failure(api.call('analysis.remove', { id: crash.analysisId as number }));
      expect(denied.code).toBe('READ_ONLY');
    });
  });
}

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null)(
    `crash analyses in the run queue over ${factory.name}`,
    () => {
      let dir: string;
      let t: Transport;
      let api: ApiClient;

      beforeEach(async () => {
        dir = mkdtempSync(join(tmpdir(), 'hclab-crash-queue-'));
        tempDirs.push(dir);
        t = await factory.create(dir);
        api = t.client;
      });
      afterEach(async () => {
        await t.close();
      });

      /** Resolves with the analysis.state event that reaches one of `states`. */
      function stateOf(
        id: () => number,
        states: string[],
      ): Promise<EventPayload<'analysis.state'>> {
        return new Promise((resolve) => {
          const seen: EventPayload<'analysis.state'>[] = [];
          const off = api.onEvent((e: ApiEvent) => {
            if (e.event !== 'analysis.state') return;
            seen.push(e.payload as EventPayload<'analysis.state'>);
            const hit = seen.find((s) => s.id === id() && states.includes(s.state));
            if (hit !== undefined) {
              off();
              resolve(hit);
            }
          });
        });
      }

      it('queues a crash analysis on a worker: progress, the same report as crash.run, stored', async () => {
        await api.call('project.create', { path: join(dir, 'queue.hclab') });
        await api.call('vm.save', { vm: vm('w', 4) });
        const request = {
          vmName: 'w',
          trials: 30,
          seed: 9,
          strategies: ['os-delayed', 'hv-log'] as const,
        };
        const direct = await api.call('crash.run', {
          ...request,
          strategies: [...request.strategies],
        });

        let id = -1;
        const progress: EventPayload<'analysis.progress'>[] = [];
        const off = api.onEvent((e) => {
          if (e.event === 'analysis.progress')
            progress.push(e.payload as EventPayload<'analysis.progress'>);
        });
        const done = stateOf(() => id, ['done', 'failed']);
        const queued = await api.call('crash.start', {
          ...request,
          strategies: [...request.strategies],
        });
        id = queued.id;
        expect(queued).toMatchObject({ kind: 'crash', vmName: 'w', error: null });
        expect(['queued', 'running']).toContain(queued.state);
        expect(await done).toMatchObject({ id, state: 'done', error: null });
        off();
        const stored = await api.call('analysis.get', { id });
        if (stored.kind !== 'crash') throw new Error('expected a crash analysis');
        const { analysisId: _, ...report } = direct;
        // Deterministic by seed: the queued analysis equals the in-process one.
        expect(stored.report).toEqual(report);
        expect(stored.params).toMatchObject({ trials: 30, seed: 9 });
        for (const p of progress.filter((x) => x.id === id)) {
          expect(p.percent === null || (p.percent >= 0 && p.percent <= 100)).toBe(true);
          expect(p.references).toBeGreaterThan(0);
        }
      });

      it('cancels a queued analysis and resumes it to completion', async () => {
        await api.call('project.create', { path: join(dir, 'cancel.hclab') });
        await api.call('vm.save', { vm: vm('w', 4) });
        // Two queued: the second waits behind the first, so it is cancelled while queued.
        const first = await api.call('crash.start', { vmName: 'w', trials: 20 });
        const second = await api.call('crash.start', { vmName: 'w', trials: 10 });
        expect(await api.call('analysis.cancel', { id: second.id })).toEqual({ ok: true });
        const list = await api.call('analysis.list', { kind: 'crash' });
        expect(list.find((a) => a.id === second.id)?.state).toBe('cancelled');
        await expect
          .poll(
            async () => (await api.call('analysis.list', {})).find((a) => a.id === first.id)?.state,
            {
              timeout: 60_000,
            },
          )
          .toBe('done');
        const c = await api.call('analysis.get', { id: second.id });
        expect(c.report).toBeNull();

        const resumed = await api.call('analysis.resume', { id: second.id });
        expect(['queued', 'running', 'done']).toContain(resumed.state);
        await expect
          .poll(
            async () =>
              (await api.call('analysis.list', {})).find((a) => a.id === second.id)?.state,
            {
              timeout: 60_000,
            },
          )
          .toBe('done');
        const r = await api.call('analysis.get', { id: second.id });
        if (r.kind !== 'crash') throw new Error('expected a crash analysis');
        expect(r.report?.strategies).toHaveLength(4);
        const missing = await failure(api.call('crash.start', { vmName: 'nope' }));
        expect(missing.code).toBe('NOT_FOUND');
      });
    },
  );
}
