/**
 * THE conformance suite: the same contract tests over every transport (in-process, web, the
 * Electron IPC bridge, and real Electron where a binary exists). Real project files in temp
 * folders, real runs (small workloads), real HTTP/WebSocket on 127.0.0.1.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient, ApiEvent, EventPayload } from '../../shared/api/contract.js';
import { ApiError } from '../../shared/api/errors.js';
import { createApiService, type ApiService } from '../../main/service/api/api-service.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { sampleTrace } from '../support/test-traces.js';
import { TRANSPORTS, type Transport } from './transports.js';

/** A shipped sample trace (gzip LIRS text: one page per line, no ops). */
const SAMPLE_TRACE = sampleTrace('multi3.trace.gz');
const SAMPLE_REFERENCES = 30_241;

const tempDirs: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hclab-conformance-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** The ApiError a call fails with (fails the test if it succeeds or throws something else). */
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

/** Resolves with the final run.state of `runId` once it is done, failed or cancelled. */
function finalState(client: ApiClient, runId: () => number | null) {
  const seen: EventPayload<'run.state'>[] = [];
  let unsubscribe = () => {};
  const settled = new Promise<EventPayload<'run.state'>>((resolveState) => {
    unsubscribe = client.onEvent((e: ApiEvent) => {
      if (e.event !== 'run.state') return;
      const s = e.payload as EventPayload<'run.state'>;
      seen.push(s);
      const id = runId();
      for (const x of seen) {
        if (x.id === id && ['done', 'failed', 'cancelled'].includes(x.state)) resolveState(x);
      }
    });
  });
  return { settled: settled.finally(() => unsubscribe()) };
}

for (const factory of TRANSPORTS) {
  if (factory.skip !== null)
    console.log(`conformance: skipping the ${factory.name} transport: ${factory.skip}`);

  describe.skipIf(factory.skip !== null)(`API conformance over ${factory.name}`, () => {
    let dir: string;
    let t: Transport;
    let api: ApiClient;
    const others: ApiService[] = [];

    beforeEach(async () => {
      dir = scratchDir();
      t = await factory.create(dir);
      api = t.client;
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await t.close();
    });

    it('creates, closes and reopens a project; lists it as recent', async () => {
      expect(await api.call('project.current', {})).toBeNull();
      const path = join(dir, 'first.hclab');
      const changes: ApiEvent[] = [];
      const off = api.onEvent((e) => changes.push(e));
      const created = await api.call('project.create', { path });
      expect(created).toMatchObject({ path, name: 'first', readOnly: false, interruptedRuns: [] });
      expect(await api.call('project.current', {})).toEqual(created);
      expect(await api.call('project.close', {})).toEqual({ ok: true });
      expect(await api.call('project.current', {})).toBeNull();
      const opened = await api.call('project.open', { path });
      expect(opened.path).toBe(path);
      const recent = await api.call('project.recent', {});
      expect(recent[0].path).toBe(path);
      // Events are pushed asynchronously (a WebSocket); a cheap call lets them arrive.
      await api.call('presets.list', {});
      await api.call('project.close', {});
      await expect.poll(() => changes.some((e) => e.event === 'project.changed')).toBe(true);
      off();
    });

    it('gives each bad project path its own message, and creates nothing', async () => {
      const relative = await failure(api.call('project.create', { path: 'study.hclab' }));
      expect(relative.code).toBe('BAD_INPUT');
      expect(relative.message).toMatch(/^'study\.hclab' is a relative path: .*working directory/);
      expect(relative.message).toContain('give an absolute path');
      for (const method of ['project.open', 'project.create'] as const)
        expect((await failure(api.call(method, { path: '../x.hclab' }))).message).toMatch(
          /relative path/,
        );

      const inMissing = join(dir, 'no-such-folder', 'study.hclab');
      const missing = await failure(api.call('project.create', { path: inMissing }));
      expect(missing.code).toBe('NOT_FOUND');
      expect(missing.message).toBe(
        `${join(dir, 'no-such-folder')}: no such folder (create it first, or choose an existing folder for study.hclab)`,
      );
      expect(missing.message).not.toContain('.lock');
      const openMissing = await failure(api.call('project.open', { path: inMissing }));
      expect(openMissing.message).toMatch(/no-such-folder: no such folder/);

      const folder = await failure(api.call('project.create', { path: dir }));
      expect(folder.code).toBe('BAD_INPUT');
      expect(folder.message).toBe(
        `${dir} is a folder: give the project's file name inside it, e.g. ${join(dir, 'study.hclab')}`,
      );
      expect(folder.message).not.toContain('already exists');
      expect((await failure(api.call('project.open', { path: dir }))).message).toMatch(
        /is a folder: give the project's file name/,
      );

      for (const name of ['   ', '  .hclab']) {
        const blank = await failure(api.call('project.create', { path: join(dir, name) }));
        expect(blank.code).toBe('BAD_INPUT');
        expect(blank.message).toMatch(/the project name is empty or only spaces/);
      }

      const taken = join(dir, 'taken.hclab');
      writeFileSync(taken, 'x');
      expect((await failure(api.call('project.create', { path: taken }))).message).toBe(
        `${taken}: a file with this name already exists (open it, or choose another name)`,
      );
      // Nothing was created by the refused calls (no project, no lock file).
      expect(readdirSync(dir).filter((f) => /hclab|lock|^\s*$/.test(f))).toEqual(['taken.hclab']);
      expect(await api.call('project.current', {})).toBeNull();
    });

    it('refuses VM and experiment names of only spaces, and sizes of 0 pages', async () => {
      await api.call('project.create', { path: join(dir, 'names.hclab') });
      const blankVm = await failure(api.call('vm.save', { vm: vm('   ') }));
      expect(blankVm.code).toBe('BAD_INPUT');
      expect(blankVm.message).toMatch(/name: expected a name that is not only spaces/);
      await api.call('vm.save', { vm: vm('a') });
      const blankExp = await failure(
        api.call('experiment.save', {
          experiment: { name: ' ', vmNames: ['a'], methods: ['exact'] },
        }),
      );
      expect(blankExp.code).toBe('BAD_INPUT');
      expect(blankExp.message).toMatch(/name: expected a name that is not only spaces/);
      const zero = await failure(
        api.call('experiment.save', {
          experiment: { name: 'e', vmNames: ['a'], methods: ['exact'], sizes: [0, 100] },
        }),
      );
      expect(zero.code).toBe('BAD_INPUT');
      expect(zero.message).toMatch(/sizes\[0\]: expected a positive integer, got 0/);
    });

    it('needs an open project for project data (NO_PROJECT)', async () => {
      expect((await failure(api.call('vm.list', {}))).code).toBe('NO_PROJECT');
    });

    it('saves, lists and removes VMs; a bad VM is BAD_INPUT naming the field', async () => {
      await api.call('project.create', { path: join(dir, 'vms.hclab') });
      const saved = await api.call('vm.save', { vm: vm('web') });
      expect(saved.id).toBeGreaterThan(0);
      expect(saved.vm.name).toBe('web');
      const updated = await api.call('vm.save', {
        id: saved.id,
        vm: vm('web', { guestPages: 80 }),
      });
      expect(updated).toMatchObject({ id: saved.id, vm: { guestPages: 80 } });
      expect((await api.call('vm.list', {})).map((v) => v.vm.name)).toEqual(['web']);

      const bad = await failure(api.call('vm.save', { vm: vm('bad', { guestPages: -5 }) }));
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toContain('guestPages');

      expect(await api.call('vm.remove', { id: saved.id })).toEqual({
        ok: true,
        updatedExperiments: [],
        deletedExperiments: [],
      });
      expect(await api.call('vm.list', {})).toEqual([]);
      expect((await failure(api.call('vm.remove', { id: saved.id }))).code).toBe('NOT_FOUND');
    });

    it('refuses invalid params and unknown methods with BAD_INPUT', async () => {
      const bad = await failure(api.call('vm.remove', { id: -1 }));
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toMatch(/\bid\b/);
      const missing = await failure(api.call('project.open', {} as { path: string }));
      expect(missing.code).toBe('BAD_INPUT');
      expect(missing.message).toContain('path');
      const unknown = await failure(api.call('no.such.method' as 'vm.list', {}));
      expect(unknown.code).toBe('BAD_INPUT');
      expect(unknown.message).toContain('no.such.method');
    });

    it('saves experiments (validated) and lists presets', async () => {
      await api.call('project.create', { path: join(dir, 'exp.hclab') });
      await api.call('vm.save', { vm: vm('web') });
      const saved = await api.call('experiment.save', {
        experiment: { name: 'e1', vmNames: ['web'], methods: ['exact', 'hypervisor'] },
      });
      expect(saved.experiment).toMatchObject({ name: 'e1', pageSize: 4096 });
      expect((await api.call('experiment.list', {})).map((e) => e.id)).toEqual([saved.id]);
      const bad = await failure(
        api.call('experiment.save', { experiment: { name: 'e2', vmNames: [], methods: [] } }),
      );
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toContain('vmNames');
      const presets = await api.call('presets.list', {});
      expect(presets.length).toBeGreaterThan(0);
      expect(presets[0].rationale.length).toBeGreaterThan(0);
    });

    it('inspects a trace file; a bad trace is BAD_INPUT naming the line', async () => {
      const preview = await api.call('trace.inspect', { path: SAMPLE_TRACE });
      expect(preview.format).toBe('lirs');
      expect(preview.stats.references).toBe(SAMPLE_REFERENCES);
      expect(preview.records).toHaveLength(20);
      expect(preview.records[0]).toMatchObject({ page: 0, op: 'read' });

      const badFile = join(dir, 'bad.txt');
      writeFileSync(badFile, '1\n2\nthree\n4\n');
      const bad = await failure(api.call('trace.inspect', { path: badFile }));
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toMatch(/bad\.txt line 3/);
    });

    it('embeds a trace (refusing a bad one, storing nothing) and runs an experiment on it', async () => {
      const path = join(dir, 'runs.hclab');
      await api.call('project.create', { path });
      const bad = await failure(
        api.call('trace.embed', {
          fileName: 'broken.txt',
          contentBase64: Buffer.from('5\n6\nseven\n').toString('base64'),
        }),
      );
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toMatch(/broken\.txt line 3/);

      const pages = Array.from({ length: 4000 }, (_, i) => (i * 7919) % 500);
      const embedded = await api.call('trace.embed', {
        fileName: 'small.txt',
        contentBase64: Buffer.from(`${pages.join('\n')}\n`).toString('base64'),
      });
      expect(embedded.ref).toMatch(/^embedded:\d+$/);
      expect(embedded.preview.stats.references).toBe(4000);
      const again = await api.call('trace.inspect', { path: embedded.ref });
      expect(again.stats.distinctPages).toBe(500);

      await api.call('vm.save', { vm: vm('zipf') });
      await api.call('vm.save', {
        vm: {
          name: 'traced',
          workload: { trace: embedded.ref },
          guestPages: 64,
          hvPages: 64,
          ghostPages: 128,
        },
      });
      const exp = await api.call('experiment.save', {
        experiment: {
          name: 'small',
          vmNames: ['zipf', 'traced'],
          methods: ['exact', 'hypervisor'],
        },
      });

      let runId: number | null = null;
      const done = finalState(api, () => runId);
      const started = await api.call('run.start', { experimentId: exp.id });
      runId = started.id;
      expect(started.experimentName).toBe('small');
      const final = await done.settled;
      expect(final).toMatchObject({ id: started.id, state: 'done', error: null });

      const detail = await api.call('run.get', { runId: started.id });
      expect(detail.state).toBe('done');
      expect(detail.results.map((r) => r.name).sort()).toEqual(['traced', 'zipf']);
      for (const r of detail.results) {
        expect(r.curves.map((c) => c.method).sort()).toEqual(['exact', 'hypervisor']);
      }
      expect((await api.call('run.list', {}))[0].id).toBe(started.id);
      expect((await failure(api.call('run.get', { runId: started.id + 100 }))).code).toBe(
        'NOT_FOUND',
      );

      // Only the good trace was stored.
      await api.call('project.close', {});
      const store = ProjectStore.open(path, { readOnly: true });
      try {
        expect(store.traces.list()).toHaveLength(1);
      } finally {
        store.close();
      }
    });

    it('reports LOCKED when another service has the project; read-only works', async () => {
      const path = join(dir, 'shared.hclab');
      const other = createApiService({});
      others.push(other);
      await other.handle('project.create', { path });
      const locked = await failure(api.call('project.open', { path }));
      expect(locked.code).toBe('LOCKED');
      const ro = await api.call('project.open', { path, readOnly: true });
      expect(ro.readOnly).toBe(true);
      const write = await failure(api.call('vm.save', { vm: vm('nope') }));
      expect(write.code).toBe('READ_ONLY');
    });
  });
}
