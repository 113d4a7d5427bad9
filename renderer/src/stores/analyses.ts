/** Stored allocation and crash analyses of the open project (analysis.* methods). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AnalysisDetail, AnalysisSummary } from '../../../shared/api/analyses.js';
import { api } from '../api/index.js';

export const useAnalysesStore = defineStore('analyses', () => {
  const list = ref<AnalysisSummary[]>([]);

  async function load(): Promise<void> {
    list.value = await api().call('analysis.list', {});
  }

  function clear(): void {
    list.value = [];
  }

  function get(id: number): Promise<AnalysisDetail> {
    return api().call('analysis.get', { id });
  }

  async function remove(id: number): Promise<void> {
    await api().call('analysis.remove', { id });
    list.value = list.value.filter((a) => a.id !== id);
  }

  return { list, load, clear, get, remove };
});
