/** vm.*: the VMs of the open project (validated by the store against the VM schema). */
import type { Handlers } from './context.js';

export const vmHandlers: Handlers<'vm.list' | 'vm.save' | 'vm.remove'> = {
  'vm.list': (_params, ctx) => ctx.store().vms.list(),
  'vm.save': ({ id, vm }, ctx) => {
    const saved = ctx.store().vms.save(vm, id);
    ctx.changed('vms');
    return saved;
  },
  'vm.remove': ({ id }, ctx) => {
    ctx.store().vms.remove(id);
    ctx.changed('vms');
    return { ok: true };
  },
};
