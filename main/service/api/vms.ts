/** vm.*: the VMs of the open project (validated by the store against the VM schema). */
import type { Handlers } from './context.js';

export const vmHandlers: Handlers<'vm.list' | 'vm.save' | 'vm.remove'> = {
  'vm.list': (_params, ctx) => ctx.store().vms.list(),
  'vm.save': ({ id, revision, vm }, ctx) => {
    const store = ctx.store();
    const before = id === undefined ? null : store.vms.get(id).vm.name;
    const saved = store.vms.save(vm, id, revision);
    ctx.changed('vms');
    // A rename is carried into the experiments that name the VM.
    if (before !== null && before !== saved.vm.name) ctx.changed('experiments');
    return saved;
  },
  'vm.remove': ({ id, removeFromExperiments }, ctx) => {
    const changed = ctx.store().vms.removeVm(id, removeFromExperiments);
    ctx.changed('vms');
    if (changed.updatedExperiments.length + changed.deletedExperiments.length > 0)
      ctx.changed('experiments');
    return { ok: true, ...changed };
  },
};
