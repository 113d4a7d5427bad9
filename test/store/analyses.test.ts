/** Stored analyses in the project file: a crash analysis left queued or running is interrupted. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/store/project-store.js';
import { SMALL_VM, tempDir } from './helpers.js';

describe('analyses in the project file', () => {
  it('a crash analysis queued or running when the process stopped is interrupted on open', () => {
    const file = path.join(tempDir(), 'p.hclab');
    const s = ProjectStore.create(file);
    const queued = s.analyses.create({
      kind: 'crash',
      title: 'VM vm1: 10 trials',
      runId: null,
      vmName: 'vm1',
      params: { vmName: 'vm1' },
      vm: SMALL_VM,
      hclabVersion: '0.0.0',
    });
    expect(queued.state).toBe('queued');
    const running = s.analyses.create({
      ...s.analyses.inputs(queued.id),
      kind: 'crash',
      title: 't',
      runId: null,
      vmName: 'vm1',
      hclabVersion: '0.0.0',
    });
    s.analyses.setState(running.id, 'running');
    const done = s.analyses.create({
      kind: 'alloc',
      title: 'run #1',
      runId: null,
      vmName: null,
      params: {},
      report: {},
      hclabVersion: '0.0.0',
    });
    expect(done.state).toBe('done');
    s.close();

    const again = ProjectStore.open(file);
    const states = new Map(again.analyses.list().map((a) => [a.id, a.state]));
    expect(states.get(queued.id)).toBe('interrupted');
    expect(states.get(running.id)).toBe('interrupted');
    expect(states.get(done.id)).toBe('done');
    again.close();

    // Read-only opens change nothing.
    const ro = ProjectStore.open(file, { readOnly: true });
    expect(ro.analyses.list().map((a) => a.state)).toEqual(['done', 'interrupted', 'interrupted']);
    ro.close();
  });
});
