/** VMs of the open project. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StoredVm } from '../../../shared/api/entities.js';
import { api } from '../api/index.js';

export const useVmsStore = defineStore('vms', () => {
  const list = ref<StoredVm[]>([]);

  async function load(): Promise<void> {
    list.value = await api().call('vm.list', {});
  }

  function clear(): void {
    list.value = [];
  }

  /** Creates (no id) or updates a VM; throws the ApiError (BAD_INPUT names the field). */
  async function save(vm: unknown, id?: number): Promise<StoredVm> {
    const stored = await api().call('vm.save', id === undefined ? { vm } : { id, vm });
    const i = list.value.findIndex((v) => v.id === stored.id);
    if (i >= 0) list.value.splice(i, 1, stored);
    else list.value.push(stored);
    return stored;
  }

  async function remove(id: number): Promise<void> {
    await api().call('vm.remove', { id });
    list.value = list.value.filter((v) => v.id !== id);
  }

  return { list, load, clear, save, remove };
});
