/**
 * Never lose an edit, over every transport: revisions and CONFLICT, experiments that name a VM
 * that does not exist (BAD_INPUT naming it), deleting VMs that experiments use, deleting
 * experiments and runs (a run's results go with it), and `project.changed` events that let
 * every open window follow.
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

function vm(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    workload: { kind: 'zipf', pages: 300, alpha: 0.9, refs: 3000, seed: 7 },
    guestPages: 64,
    hvPages: 64,
    ghostPages: 128,
    ...extra,
  };
}

function experiment(name: string, vmNames: string[]) {
  return { name, vmNames, methods: ['exact', 'hypervisor'] as ('exact' | 'hypervisor')[] };
}

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null)(`edits over ${factory.name}`, () => {
    let t: Transport;
    let api: ApiClient;
    let dir: string;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hclab-edits-'));
      tempDirs.push(dir);
      t = await factory.create(dir);
      api = t.client;
      await api.call('project.create', { path: join(dir, 'p.hclab') });
    });
    afterEach(async () => {
      await t.close();
    });

    it('every save bumps the revision; a save from a stale revision is CONFLICT and changes nothing', async () => {
      const a = await api.call('vm.save', { vm: vm('web') });
      expect(a.revision).toBe(1);
      // Window 1 saves V = 80 from revision 1.
      const b = await api.call('vm.save', {
        id: a.id,
        revision: 1,
        vm: vm('web', { guestPages: 80 }),
      });
      expect(b.revision).toBe(2);
      // Window 2 still holds revision 1 and saves V = 64 back: refused.
      const stale = await failure(
        api.call('vm.save', { id: a.id, revision: 1, vm: vm('web', { guestPages: 64 }) }),
      );
      expect(stale.code).toBe('CONFLICT');
      expect(stale.message).toContain("VM 'web'");
      expect(stale.message).toContain('revision 2');
      const [stored] = await api.call('vm.list', {});
      expect(stored).toMatchObject({ revision: 2, vm: { guestPages: 80 } });

      const e = await api.call('experiment.save', { experiment: experiment('e', ['web']) });
      expect(e.revision).toBe(1);
      await api.call('experiment.save', {
        id: e.id,
        revision: 1,
        experiment: { ...experiment('e', ['web']), methods: ['exact'] },
      });
      const staleExp = await failure(
        api.call('experiment.save', { id: e.id, revision: 1, experiment: experiment('e', []) }),
      );
      // Validation comes first (vmNames empty), then the revision.
      expect(staleExp.code).toBe('BAD_INPUT');
      const conflict = await failure(
        api.call('experiment.save', {
          id: e.id,
          revision: 1,
          experiment: experiment('renamed', ['web']),
        }),
      );
      expect(conflict.code).toBe('CONFLICT');
      expect((await api.call('experiment.list', {})).map((x) => x.experiment.name)).toEqual(['e']);
    });

    it('refuses an experiment that names a VM that does not exist (BAD_INPUT naming it)', async () => {
      await api.call('vm.save', { vm: vm('web') });
      const bad = await failure(
        api.call('experiment.save', { experiment: experiment('e', ['web', 'ghost']) }),
      );
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toContain("'ghost'");
      expect(bad.message).not.toContain("'web'");
      expect(await api.call('experiment.list', {})).toEqual([]);
    });

    it('a new experiment with the name of another is refused: a rename never replaces one', async () => {
      await api.call('vm.save', { vm: vm('web') });
      const first = await api.call('experiment.save', { experiment: experiment('first', ['web']) });
      const second = await api.call('experiment.save', {
        experiment: experiment('second', ['web']),
      });
      const clash = await failure(
        api.call('experiment.save', {
          id: second.id,
          revision: second.revision,
          experiment: experiment('first', ['web']),
        }),
      );
      expect(clash.code).toBe('BAD_INPUT');
      expect(clash.message).toContain("already named 'first'");
      const list = await api.call('experiment.list', {});
      expect(list.map((x) => [x.id, x.experiment.name])).toEqual([
        [first.id, 'first'],
        [second.id, 'second'],
      ]);
    });

    it('deleting a VM that experiments use is refused naming them, or takes it out of them', async () => {
      const web = await api.call('vm.save', { vm: vm('web') });
      await api.call('vm.save', { vm: vm('db') });
      await api.call('experiment.save', { experiment: experiment('both', ['web', 'db']) });
      await api.call('experiment.save', { experiment: experiment('solo', ['web']) });
      await api.call('experiment.save', { experiment: experiment('other', ['db']) });

      const refused = await failure(api.call('vm.remove', { id: web.id }));
      expect(refused.code).toBe('BAD_INPUT');
      expect(refused.message).toContain("'both'");
      expect(refused.message).toContain("'solo'");
      expect(refused.message).not.toContain("'other'");
      expect((await api.call('vm.list', {})).length).toBe(2);

      const removed = await api.call('vm.remove', { id: web.id, removeFromExperiments: true });
      expect(removed).toEqual({
        ok: true,
        updatedExperiments: ['both'],
        deletedExperiments: ['solo'],
      });
      const list = await api.call('experiment.list', {});
      expect(list.map((x) => [x.experiment.name, x.experiment.vmNames])).toEqual([
        ['both', ['db']],
        ['other', ['db']],
      ]);
      expect(list[0].revision).toBe(2);
    });

    it('a VM rename is carried into the experiments that use it', async () => {
      const web = await api.call('vm.save', { vm: vm('web') });
      await api.call('experiment.save', { experiment: experiment('e', ['web']) });
      await api.call('vm.save', { id: web.id, revision: web.revision, vm: vm('frontend') });
      const [e] = await api.call('experiment.list', {});
      expect(e.experiment.vmNames).toEqual(['frontend']);
      expect(e.revision).toBe(2);
    });

    it('deletes experiments (runs kept) and runs with their results; events tell every window', async () => {
      const events: ApiEvent[] = [];
      const off = api.onEvent((ev) => events.push(ev));
      await api.call('vm.save', { vm: vm('web') });
      const e = await api.call('experiment.save', { experiment: experiment('e', ['web']) });
      const settled = new Promise<EventPayload<'run.state'>>((resolveState) => {
        const stop = api.onEvent((ev) => {
          const s = ev.payload as EventPayload<'run.state'>;
          if (ev.event === 'run.state' && s.state === 'done') {
            stop();
            resolveState(s);
          }
        });
      });
      const run = await api.call('run.start', { experimentId: e.id });
      expect((await settled).id).toBe(run.id);
      expect((await api.call('run.get', { runId: run.id })).results.length).toBe(1);

      expect(await api.call('experiment.remove', { id: e.id })).toEqual({ ok: true });
      expect(await api.call('experiment.list', {})).toEqual([]);
      expect((await api.call('run.list', {})).map((r) => r.id)).toEqual([run.id]);

      expect(await api.call('run.remove', { runId: run.id })).toEqual({
        ok: true,
        stepsDeleted: 1,
      });
      expect(await api.call('run.list', {})).toEqual([]);
      expect((await failure(api.call('run.get', { runId: run.id }))).code).toBe('NOT_FOUND');
      expect((await failure(api.call('run.remove', { runId: run.id }))).code).toBe('NOT_FOUND');

      await api.call('presets.list', {});
      await expect
        .poll(() =>
          ['vms', 'experiments', 'runs'].every((w) =>
            events.some(
              (ev) =>
                ev.event === 'project.changed' &&
                (ev.payload as EventPayload<'project.changed'>).what === w,
            ),
          ),
        )
        .toBe(true);
      off();
    });
  });
}
