/** sweep.*: sweeps collected into the open project, for the Sweeps view. */
import { ApiError } from '../../../shared/api/errors.js';
import type { SweepDetail, SweepSummary, SweepTaskRow } from '../../../shared/api/sweep.js';
import type { ProjectStore } from '../../store/project-store.js';
import { SweepRepository, type StoredSweep } from '../../store/sweep-repository.js';
import type { Handlers } from './context.js';

function summary(store: ProjectStore, s: StoredSweep): SweepSummary {
  const run = store.runs.summary(s.runId);
  const { experiment } = store.runs.snapshot(s.runId);
  const keys = Object.keys(new SweepRepository(store, store.runs, store.analyses).analysisIds(s));
  const crash = keys.filter((k) => k.endsWith(':crash')).length;
  return {
    name: s.name,
    runId: s.runId,
    dir: s.dir,
    tasks: run.stepsTotal,
    done: run.stepsDone,
    methods: experiment.methods,
    allocAnalyses: keys.length - crash,
    crashAnalyses: crash,
  };
}

function ratioAt(
  c: { sizes: number[]; missRatio: (number | null)[] },
  size: number,
): number | null {
  const i = c.sizes.indexOf(size);
  return i < 0 ? null : (c.missRatio[i] ?? null);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function detail(store: ProjectStore, s: StoredSweep): SweepDetail {
  const run = store.runs.get(s.runId);
  const byName = new Map(run.results.map((r) => [r.name, r]));
  const rows: SweepTaskRow[] = run.vms.map((vm, i) => {
    const r = byName.get(vm.name);
    const v = vm.guestPages;
    const vc = v + vm.hvPages;
    const vcg = vc + vm.ghostPages;
    return {
      id: vm.name,
      source: s.sources?.[i] ?? vm.name,
      policy: vm.policy,
      guestPages: vm.guestPages,
      hvPages: vm.hvPages,
      ghostPages: vm.ghostPages,
      seed: vm.admissionSeed,
      done: r !== undefined,
      references: num(r?.stats.references),
      simulated: { atV: num(r?.stats.guestMissRatio), atVC: num(r?.stats.diskReadRatio) },
      points: (r?.curves ?? []).map((c) => ({
        method: c.method,
        atV: ratioAt(c, v),
        atVC: ratioAt(c, vc),
        atVCG: ratioAt(c, vcg),
      })),
    };
  });
  return { ...summary(store, s), rows };
}

export const sweepHandlers: Handlers<'sweep.list' | 'sweep.get'> = {
  'sweep.list': (_params, ctx) => {
    const store = ctx.store();
    return new SweepRepository(store, store.runs, store.analyses)
      .list()
      .map((s) => summary(store, s));
  },
  'sweep.get': ({ name }, ctx) => {
    const store = ctx.store();
    const s = new SweepRepository(store, store.runs, store.analyses).byName(name);
    if (s === undefined) throw new ApiError('NOT_FOUND', `no sweep named '${name}' in the project`);
    return detail(store, s);
  },
};
