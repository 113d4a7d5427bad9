/**
 * Stored allocation and crash analyses of the open project (analysis.* methods), with the live
 * state and progress of crash analyses in the run queue (analysis.state / analysis.progress).
 */
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { AnalysisDetail, AnalysisSummary } from '../../../shared/api/analyses.js';
import type { CrashRequest } from '../../../shared/api/crash.js';
import type { EventPayload } from '../../../shared/api/contract.js';
import { api } from '../api/index.js';

export type AnalysisProgress = EventPayload<'analysis.progress'>;

export const useAnalysesStore = defineStore('analyses', () => {
  const list = ref<AnalysisSummary[]>([]);
  const progress = reactive<Record<number, AnalysisProgress>>({});
  const listeners = new Set<(s: AnalysisSummary) => void>();
  let subscribed = false;

  async function load(): Promise<void> {
    list.value = await api().call('analysis.list', {});
  }

  function clear(): void {
    list.value = [];
    for (const k of Object.keys(progress)) delete progress[Number(k)];
  }

  function upsert(a: AnalysisSummary): void {
    const i = list.value.findIndex((x) => x.id === a.id);
    if (i >= 0) list.value.splice(i, 1, a);
    else list.value = [a, ...list.value].sort((x, y) => y.id - x.id);
  }

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    api().onEvent((e) => {
      if (e.event === 'analysis.progress') {
        const p = e.payload as AnalysisProgress;
        progress[p.id] = p;
      } else if (e.event === 'analysis.state') {
        const s = e.payload as AnalysisSummary;
        upsert(s);
        if (s.state !== 'running') delete progress[s.id];
        for (const l of listeners) l(s);
      }
    });
  }

  /** Told about every state change (e.g. to open an analysis once it is done). */
  function onState(listener: (s: AnalysisSummary) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function get(id: number): Promise<AnalysisDetail> {
    return api().call('analysis.get', { id });
  }

  async function startCrash(request: CrashRequest): Promise<AnalysisSummary> {
    const s = await api().call('crash.start', request);
    upsert(s);
    return s;
  }

  async function cancel(id: number): Promise<void> {
    await api().call('analysis.cancel', { id });
  }

  async function resume(id: number): Promise<void> {
    upsert(await api().call('analysis.resume', { id }));
  }

  async function remove(id: number): Promise<void> {
    await api().call('analysis.remove', { id });
    list.value = list.value.filter((a) => a.id !== id);
  }

  return {
    list,
    progress,
    load,
    clear,
    subscribe,
    onState,
    get,
    startCrash,
    cancel,
    resume,
    remove,
  };
});
