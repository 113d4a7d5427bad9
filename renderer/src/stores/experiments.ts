/** Experiments (which VMs, which MRC methods, their parameters) of the open project. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExperimentConfigInput, StoredExperiment } from '../../../shared/api/entities.js';
import { api } from '../api/index.js';

export const useExperimentsStore = defineStore('experiments', () => {
  const list = ref<StoredExperiment[]>([]);

  async function load(): Promise<void> {
    list.value = await api().call('experiment.list', {});
  }

  function clear(): void {
    list.value = [];
  }

  /** Creates (no id) or updates an experiment from `revision` (CONFLICT when stale). */
  async function save(
    experiment: ExperimentConfigInput,
    id?: number,
    revision?: number,
  ): Promise<StoredExperiment> {
    const stored = await api().call(
      'experiment.save',
      id === undefined ? { experiment } : { id, revision, experiment },
    );
    const i = list.value.findIndex((x) => x.id === stored.id);
    if (i >= 0) list.value.splice(i, 1, stored);
    else list.value.push(stored);
    return stored;
  }

  async function remove(id: number): Promise<void> {
    await api().call('experiment.remove', { id });
    list.value = list.value.filter((x) => x.id !== id);
  }

  return { list, load, clear, save, remove };
});
