/** run.*: queue, cancel and resume runs of the open project; stored runs and their results. */
import type { Handlers } from './context.js';

export const runHandlers: Handlers<
  'run.start' | 'run.cancel' | 'run.resume' | 'run.list' | 'run.get'
> = {
  'run.start': ({ experimentId }, ctx) => {
    const run = ctx.runs().start(experimentId);
    ctx.changed('runs');
    return run;
  },
  'run.cancel': ({ runId }, ctx) => {
    ctx.runs().cancel(runId);
    ctx.changed('runs');
    return { ok: true };
  },
  'run.resume': ({ runId }, ctx) => {
    const run = ctx.runs().resume(runId);
    ctx.changed('runs');
    return run;
  },
  'run.list': (_params, ctx) => ctx.store().runs.list(),
  'run.get': ({ runId }, ctx) => ctx.store().runs.get(runId),
};
