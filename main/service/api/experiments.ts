/** experiment.*: the experiments of the open project (validated by the store). */
import type { Handlers } from './context.js';

export const experimentHandlers: Handlers<
  'experiment.list' | 'experiment.save' | 'experiment.remove'
> = {
  'experiment.list': (_params, ctx) => ctx.store().experiments.list(),
  'experiment.save': ({ id, revision, experiment }, ctx) => {
    const saved = ctx.store().experiments.save(experiment, id, revision);
    ctx.changed('experiments');
    return saved;
  },
  'experiment.remove': ({ id }, ctx) => {
    ctx.store().experiments.remove(id);
    ctx.changed('experiments');
    return { ok: true };
  },
};
