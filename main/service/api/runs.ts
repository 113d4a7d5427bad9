/** run.*: queue, cancel and resume runs of the open project; stored runs and their results. */
import { ApiError } from '../../../shared/api/errors.js';
import type { Handlers } from './context.js';

export const runHandlers: Handlers<
  'run.start' | 'run.cancel' | 'run.resume' | 'run.list' | 'run.get' | 'run.remove'
> = {
  'run.remove': ({ runId }, ctx) => {
    if (ctx.runs().activeRuns().includes(runId))
      throw new ApiError(
        'BAD_INPUT',
        `runId: run ${runId} is queued or running: cancel it before deleting it`,
      );
    const { steps } = ctx.store().runs.remove(runId);
    ctx.changed('runs');
    return { ok: true, stepsDeleted: steps };
  },
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
