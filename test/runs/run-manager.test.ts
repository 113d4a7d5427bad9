/** The run manager on real project files; workers load the compiled dist/ worker (npm test builds). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api/contract.js';
import type { RunSummary } from '../../shared/api/entities.js';
import { RunManager } from '../../main/service/runs/run-manager.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { tempDir } from '../store/helpers.js';

function vm(name: string, refs: number, seed = 1): Record<string, unknown> {
  return {
    name,
    workload: { kind: 'zipf', pages: 5000, refs, seed },
    guestPages: 500,
    hvPages: 250,
    ghostPages: 500,
  };
}

function setup(vms: Record<string, unknown>[], methods: string[] = ['exact']) {
  const store = ProjectStore.create(path.join(tempDir(), 'runs.hclab'));
  for (const v of vms) store.vms.save(v);
  const exp = store.experiments.save({ name: 'e', vmNames: vms.map((v) => v.name), methods });
  const events: ApiEvent[] = [];
  return { store, expId: exp.id, events };
}

function states(events: ApiEvent[], runId?: number): string[] {
  return events
    .filter((e) => e.event === 'run.state')
    .map((e) => e.payload as RunSummary)
    .filter((s) => runId === undefined || s.id === runId)
    .map((s) => s.state);
}

describe('run manager', () => {
  it('runs on a worker, emits progress increasing to 100 and commits every step', async () => {
    const { store, expId, events } = setup([vm('a', 800_000), vm('b', 800_000, 2)]);
    const m = new RunManager(store, { workers: 1, onEvent: (e) => events.push(e) });
    const run = m.start(expId);
    await m.whenIdle();
    const progress = events
      .filter((e) => e.event === 'run.progress')
      .map((e) => e.payload as { percent: number; stepsDone: number; etaSeconds: number | null });
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].percent).toBeGreaterThanOrEqual(progress[i - 1].percent);
    expect(progress.some((p) => p.percent > 0 && p.percent < 100)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ percent: 100, stepsDone: 2, etaSeconds: 0 });
    expect(states(events, run.id)).toEqual(['queued', 'running', 'done']);
    const detail = store.runs.get(run.id);
    expect(detail).toMatchObject({ state: 'done', stepsDone: 2, stepsTotal: 2, error: null });
    expect(detail.results.map((r) => r.name)).toEqual(['a', 'b']);
    expect(detail.results[0].stats.references).toBe(800_000);
    expect(detail.results[0].curves[0].method).toBe('exact');
    expect(detail.log.map((l) => l.message)).toEqual([
      "queued: experiment 'e', 2 VM(s)",
      'running',
      "step 1 done: VM 'a'",
      "step 2 done: VM 'b'",
      'done',
    ]);
    await m.close();
    store.close();
  });

  it('weights progress by references: a small VM finished first is a small share of the run', async () => {
    // 4 000 and 396 000 references: when the small VM's step is done, 1 % of the run is.
    const { store, expId, events } = setup([vm('small', 4_000), vm('big', 396_000, 2)]);
    const m = new RunManager(store, { workers: 1, onEvent: (e) => events.push(e) });
    m.start(expId);
    await m.whenIdle();
    const progress = events
      .filter((e) => e.event === 'run.progress')
      .map((e) => e.payload as { percent: number; stepsDone: number });
    const firstStepDone = progress.find((p) => p.stepsDone === 1);
    expect(firstStepDone).toBeDefined();
    expect(firstStepDone!.percent).toBeCloseTo(1, 6);
    // Every event while the big VM runs lies between 1 % and 100 %, never at 50 % by steps.
    for (const p of progress.filter((x) => x.stepsDone === 1))
      expect(p.percent).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)).toMatchObject({ percent: 100, stepsDone: 2 });
    await m.close();
    store.close();
  });

  it('weights a trace VM by its references: read first, it is almost all of the run', async () => {
    const store = ProjectStore.create(path.join(tempDir(), 'trace-weight.hclab'));
    const dir = path.dirname(store.path);
    const pages = Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 30_000);
    writeFileSync(path.join(dir, 'big.txt'), `${pages.join('\n')}\n`);
    store.vms.save({ name: 'trace', workload: { trace: 'big.txt' }, guestPages: 500 });
    store.vms.save(vm('small', 2_000));
    const exp = store.experiments.save({
      name: 'mixed',
      vmNames: ['trace', 'small'],
      methods: ['exact'],
    });
    const events: ApiEvent[] = [];
    const m = new RunManager(store, { workers: 1, onEvent: (e) => events.push(e) });
    m.start(exp.id);
    await m.whenIdle();
    const progress = events
      .filter((e) => e.event === 'run.progress')
      .map((e) => e.payload as { percent: number; stepsDone: number });
    // 200 000 of 202 000 references are done when the trace step is (99 %), not 1 of 2 steps.
    const afterTrace = progress.find((p) => p.stepsDone === 1)!;
    expect(afterTrace.percent).toBeGreaterThan(95);
    expect(afterTrace.percent).toBeLessThan(100);
    expect(progress.at(-1)).toMatchObject({ percent: 100, stepsDone: 2 });
    await m.close();
    store.close();
  });

  it('a cancelled run keeps the VMs it finished: their results are returned', async () => {
    const { store, expId, events } = setup([vm('small', 4_000), vm('huge', 1_000_000_000, 2)]);
    let runId = -1;
    const m = new RunManager(store, {
      workers: 1,
      onEvent: (e) => {
        events.push(e);
        const p = e.payload as { runId: number; stepsDone: number };
        if (e.event === 'run.progress' && p.runId === runId && p.stepsDone === 1) m.cancel(runId);
      },
    });
    runId = m.start(expId).id;
    await m.whenIdle();
    const detail = store.runs.get(runId);
    expect(detail).toMatchObject({ state: 'cancelled', stepsDone: 1, stepsTotal: 2 });
    expect(detail.results.map((r) => r.name)).toEqual(['small']);
    expect(detail.results[0].stats.references).toBe(4_000);
    await m.close();
    store.close();
  });

  it('cancel stops a long run: state cancelled, the worker freed for the next run', async () => {
    const { store, expId, events } = setup([vm('long', 1_000_000_000)]);
    let longRun = -1;
    const m = new RunManager(store, {
      workers: 1,
      onEvent: (e) => {
        events.push(e);
        if (e.event === 'run.progress' && (e.payload as { runId: number }).runId === longRun)
          m.cancel(longRun);
      },
    });
    const run = m.start(expId);
    longRun = run.id;
    await m.whenIdle();
    expect(store.runs.summary(run.id)).toMatchObject({ state: 'cancelled', stepsDone: 0 });
    expect(states(events, run.id)).toEqual(['queued', 'running', 'cancelled']);
    // Queued runs are cancelled at once.
    const short = store.experiments.save({ name: 's', vmNames: ['long'], methods: [] });
    store.vms.save(vm('long', 1000), store.vms.list()[0].id);
    const r1 = m.start(short.id);
    const r2 = m.start(short.id);
    m.cancel(r2.id);
    await m.whenIdle();
    expect(store.runs.summary(r1.id).state).toBe('done');
    expect(store.runs.summary(r2.id).state).toBe('cancelled');
    await m.close();
    store.close();
  });

  it('a worker that ignores the cancel request is terminated after the grace period', async () => {
    const { store, expId, events } = setup([vm('a', 1000)]);
    const script = path.join(tempDir(), 'stuck-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
       parentPort.on('message', (m) => {
         if (m.type !== 'step') return;
         parentPort.postMessage({ type: 'progress', taskId: m.taskId, done: 1, total: 2 });
         const until = Date.now() + 60000;
         while (Date.now() < until) {} // never looks at its messages
       });`,
    );
    const m = new RunManager(store, {
      workers: 1,
      cancelGraceMs: 200,
      workerScript: pathToFileURL(script),
      onEvent: (e) => {
        events.push(e);
        if (e.event === 'run.progress') m.cancel((e.payload as { runId: number }).runId);
      },
    });
    const run = m.start(expId);
    await m.whenIdle();
    expect(store.runs.summary(run.id).state).toBe('cancelled');
    expect(states(events, run.id)).toEqual(['queued', 'running', 'cancelled']);
    await m.close();
    store.close();
  });

  it('queues runs: with one worker they start and finish in order', async () => {
    const { store, events } = setup([vm('a', 50_000)]);
    const ids = ['x', 'y', 'z'].map(
      (n) => store.experiments.save({ name: n, vmNames: ['a'], methods: [] }).id,
    );
    const m = new RunManager(store, { workers: 1, onEvent: (e) => events.push(e) });
    const runs = ids.map((id) => m.start(id));
    expect(runs.map((r) => store.runs.summary(r.id).state)).toEqual([
      'running',
      'queued',
      'queued',
    ]);
    await m.whenIdle();
    const order = events
      .filter((e) => e.event === 'run.state')
      .map((e) => e.payload as RunSummary)
      .filter((s) => s.state !== 'queued')
      .map((s) => `${s.experimentName}:${s.state}`);
    expect(order).toEqual(['x:running', 'x:done', 'y:running', 'y:done', 'z:running', 'z:done']);
    await m.close();
    store.close();
  });

  it('stores a snapshot: editing a VM later does not change a stored run', async () => {
    const { store, expId } = setup([vm('a', 10_000)]);
    const m = new RunManager(store, { workers: 1 });
    const run = m.start(expId);
    store.vms.save({ ...vm('a', 10_000), guestPages: 7 }, store.vms.list()[0].id);
    await m.whenIdle();
    const d = store.runs.get(run.id);
    expect(d.vms[0].guestPages).toBe(500);
    expect(d.results[0].stats.guestPages).toBe(500);
    await m.close();
    store.close();
  });

  it('runs embedded and relative-path traces; a bad trace fails the run with its message', async () => {
    const dir = tempDir();
    const store = ProjectStore.create(path.join(dir, 't.hclab'));
    const text = Array.from({ length: 3000 }, (_, i) => String((i * 7) % 400)).join('\n') + '\n';
    writeFileSync(path.join(dir, 'local.txt'), text);
    const tid = store.traces.embed('mine.txt', new TextEncoder().encode(text), { format: 'txt' });
    store.vms.save({ name: 'emb', workload: { trace: `embedded:${tid}` }, guestPages: 50 });
    store.vms.save({ name: 'rel', workload: { trace: 'local.txt' }, guestPages: 50 });
    store.vms.save({ name: 'bad', workload: { trace: 'missing.txt' }, guestPages: 50 });
    const ok = store.experiments.save({ name: 'ok', vmNames: ['emb', 'rel'], methods: ['exact'] });
    const bad = store.experiments.save({ name: 'bad', vmNames: ['bad'], methods: [] });
    const m = new RunManager(store, { workers: 1 });
    const r1 = m.start(ok.id);
    const r2 = m.start(bad.id);
    await m.whenIdle();
    const d = store.runs.get(r1.id);
    expect(d.state).toBe('done');
    expect(d.results.map((r) => r.stats.references)).toEqual([3000, 3000]);
    expect(d.results[0].curves).toEqual(d.results[1].curves);
    expect({ ...d.results[0].stats, name: '' }).toEqual({ ...d.results[1].stats, name: '' });
    const f = store.runs.get(r2.id);
    expect(f.state).toBe('failed');
    expect(f.error).toMatch(/missing\.txt/);
    expect(f.log.some((l) => l.level === 'error')).toBe(true);
    await m.close();
    store.close();
  });

  it('a run left unfinished is interrupted and resumes with only its missing steps', async () => {
    const { store, expId } = setup([vm('a', 20_000), vm('b', 20_000, 2), vm('c', 20_000, 3)]);
    const file = store.path;
    const m = new RunManager(store, { workers: 1 });
    const run = m.start(expId);
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (store.runs.doneSteps(run.id).size >= 1) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    await m.close(); // like quitting the app mid-run
    store.close();
    const s = ProjectStore.open(file);
    expect(s.info().interruptedRuns).toEqual([run.id]);
    const before = s.runs.doneSteps(run.id);
    expect(before.size).toBeGreaterThanOrEqual(1);
    const m2 = new RunManager(s, { workers: 1 });
    expect(m2.resumeInterrupted()).toEqual([run.id]);
    await m2.whenIdle();
    const d = s.runs.get(run.id);
    expect(d).toMatchObject({ state: 'done', stepsDone: 3 });
    expect(d.log.some((l) => l.message.startsWith(`resumed: ${before.size} of 3`))).toBe(true);
    expect(s.info().interruptedRuns).toEqual([]);
    await m2.close();
    s.close();
  });
});
