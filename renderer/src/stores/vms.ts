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

  /**
   * Creates (no id) or updates a VM from the revision the edit started from; throws the
   * ApiError (BAD_INPUT names the field; CONFLICT when another window saved in between).
   */
  async function save(vm: unknown, id?: number, revision?: number): Promise<StoredVm> {
    const stored = await api().call(
      'vm.save',
      id === undefined ? { vm } : revision === undefined ? { id, vm } : { id, revision, vm },
    );
    const i = list.value.findIndex((v) => v.id === stored.id);
    if (i >= 0) list.value.splice(i, 1, stored);
    else list.value.push(stored);
    return stored;
  }

  /** Deletes a VM; with `removeFromExperiments` it is also taken out of the experiments. */
  async function remove(id: number, removeFromExperiments = false) {
    const result = await api().call('vm.remove', { id, removeFromExperiments });
    list.value = list.value.filter((v) => v.id !== id);
    return result;
  }

  return { list, load, clear, save, remove };
});
