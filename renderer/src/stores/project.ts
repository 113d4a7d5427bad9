/** The open project, the recent list and the errors of opening/creating one. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProjectInfo, RecentProject } from '../../../shared/api/entities.js';
import { api } from '../api/index.js';
import { toUiError, type UiError } from '../util/errors.js';
import { useAnalysesStore } from './analyses.js';
import { useExperimentsStore } from './experiments.js';
import { useRunsStore } from './runs.js';
import { useVmsStore } from './vms.js';

export const useProjectStore = defineStore('project', () => {
  const info = ref<ProjectInfo | null>(null);
  const recent = ref<RecentProject[]>([]);
  const error = ref<(UiError & { path?: string }) | null>(null);
  const busy = ref(false);
  const ready = ref(false);

  async function loadContents(): Promise<void> {
    const vms = useVmsStore();
    const experiments = useExperimentsStore();
    const runs = useRunsStore();
    const analyses = useAnalysesStore();
    if (info.value === null) {
      vms.clear();
      experiments.clear();
      runs.clear();
      analyses.clear();
      return;
    }
    await Promise.all([vms.load(), experiments.load(), runs.load(), analyses.load()]);
  }

  async function refresh(): Promise<void> {
    const [current, recentList] = await Promise.all([
      api().call('project.current', {}),
      api().call('project.recent', {}),
    ]);
    info.value = current;
    recent.value = recentList;
    await loadContents();
  }

  async function init(): Promise<void> {
    api().onEvent((e) => {
      if (e.event === 'project.changed') {
        const what = (e as { payload: { what: string } }).payload.what;
        if (what === 'project') void refresh();
        else if (what === 'vms') void useVmsStore().load();
        else if (what === 'experiments') void useExperimentsStore().load();
        else if (what === 'runs') void useRunsStore().load();
        else if (what === 'analyses') void useAnalysesStore().load();
      }
    });
    useRunsStore().subscribe();
    useAnalysesStore().subscribe();
    try {
      await refresh();
    } catch (e) {
      error.value = toUiError(e);
    } finally {
      ready.value = true;
    }
  }

  async function act(path: string | undefined, fn: () => Promise<ProjectInfo>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      info.value = await fn();
      recent.value = await api().call('project.recent', {});
      await loadContents();
      return true;
    } catch (e) {
      error.value = { ...toUiError(e), path };
      return false;
    } finally {
      busy.value = false;
    }
  }

  const create = (path: string) => act(path, () => api().call('project.create', { path }));
  const open = (path: string, readOnly = false) =>
    act(path, () => api().call('project.open', { path, readOnly }));
  const saveAs = (path: string) => act(path, () => api().call('project.saveAs', { path }));

  async function close(): Promise<void> {
    error.value = null;
    try {
      await api().call('project.close', {});
      info.value = null;
      await loadContents();
    } catch (e) {
      error.value = toUiError(e);
    }
  }

  return { info, recent, error, busy, ready, init, refresh, create, open, saveAs, close };
});
