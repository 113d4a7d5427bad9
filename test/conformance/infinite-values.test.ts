/**
 * α = ∞ crosses every transport (JSON has no infinities: the JSON transports send 'inf'): a VM
 * with tolerance 'inf' is saved, listed and snapshotted into a run, and reads back as Infinity.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/api/contract.js';
import { TRANSPORTS, type Transport } from './transports.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null)(`infinite values over ${factory.name}`, () => {
    let t: Transport;
    let api: ApiClient;
    let dir: string;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hclab-inf-'));
      tempDirs.push(dir);
      t = await factory.create(dir);
      api = t.client;
    });
    afterEach(async () => {
      await t.close();
    });

    it('a VM with tolerance inf is saved, listed and kept in its run as Infinity', async () => {
      await api.call('project.create', { path: join(dir, 'inf.hclab') });
      const saved = await api.call('vm.save', {
        vm: {
          name: 'a',
          workload: { kind: 'uniform', pages: 50, refs: 500, seed: 1 },
          guestPages: 20,
          hvPages: 10,
          tolerance: 'inf',
        },
      });
      expect(saved.vm.tolerance).toBe(Number.POSITIVE_INFINITY);
      expect((await api.call('vm.list', {}))[0].vm.tolerance).toBe(Number.POSITIVE_INFINITY);
      const exp = await api.call('experiment.save', {
        experiment: { name: 'e', vmNames: ['a'], methods: ['exact'] },
      });
      const runId = (await api.call('run.start', { experimentId: exp.id })).id;
      await expect
        .poll(async () => (await api.call('run.get', { runId })).state, { timeout: 60_000 })
        .toBe('done');
      const run = await api.call('run.get', { runId });
      expect(run.vms[0].tolerance).toBe(Number.POSITIVE_INFINITY);
    });
  });
}
