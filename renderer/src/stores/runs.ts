/** The run queue, live progress (run.progress / run.state events) and loaded run results. */
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { EventPayload } from '../../../shared/api/contract.js';
import type { RunDetail, RunSummary } from '../../../shared/api/entities.js';
import { api } from '../api/index.js';

export type RunProgress = EventPayload<'run.progress'>;

export const useRunsStore = defineStore('runs', () => {
  const list = ref<RunSummary[]>([]);
  const progress = reactive<Record<number, RunProgress>>({});
  const details = reactive<Record<number, RunDetail>>({});
  let subscribed = false;
  /** Counts run.state events, and when each run last had one: a call's reply (sent before
   * events that may arrive first) must not overwrite a newer state. */
  let stateEvents = 0;
  const lastStateEvent = new Map<number, number>();

  /** Stores a run from a call's reply unless an event about it arrived since the call began. */
  function upsertReply(run: RunSummary, callStartedAt: number): void {
    if ((lastStateEvent.get(run.id) ?? -1) >= callStartedAt) return;
    upsert(run);
  }

  async function load(): Promise<void> {
    const at = stateEvents;
    const fresh = await api().call('run.list', {});
    // A run whose state changed by event while the list was on its way keeps the event's state.
    list.value = fresh.map((r) => {
      if ((lastStateEvent.get(r.id) ?? -1) < at) return r;
      return list.value.find((x) => x.id === r.id) ?? r;
    });
  }

  function clear(): void {
    list.value = [];
    for (const k of Object.keys(details)) delete details[Number(k)];
    for (const k of Object.keys(progress)) delete progress[Number(k)];
  }

  function upsert(run: RunSummary): void {
    const i = list.value.findIndex((r) => r.id === run.id);
    if (i >= 0) list.value.splice(i, 1, run);
    else list.value.unshift(run);
  }

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    api().onEvent((e) => {
      if (e.event === 'run.progress') {
        const p = e.payload as RunProgress;
        progress[p.runId] = p;
      } else if (e.event === 'run.state') {
        const run = e.payload as RunSummary;
        lastStateEvent.set(run.id, stateEvents++);
        upsert(run);
        if (run.state !== 'running' && run.state !== 'queued') {
          delete progress[run.id];
          delete details[run.id];
        }
      }
    });
  }

  async function start(experimentId: number): Promise<RunSummary> {
    const at = stateEvents;
    const run = await api().call('run.start', { experimentId });
    upsertReply(run, at);
    return run;
  }

  async function cancel(runId: number): Promise<void> {
    await api().call('run.cancel', { runId });
  }

  async function resume(runId: number): Promise<RunSummary> {
    const at = stateEvents;
    const run = await api().call('run.resume', { runId });
    upsertReply(run, at);
    return run;
  }

  /** Deletes a run with its stored results and log. */
  async function remove(runId: number): Promise<void> {
    await api().call('run.remove', { runId });
    list.value = list.value.filter((r) => r.id !== runId);
    delete details[runId];
    delete progress[runId];
  }

  /** The run the Results view shows first (set when a run is opened from the queue). */
  const focus = ref<number | null>(null);

  /** Runs whose results can be viewed: finished VMs of any run that is not in progress (a
   * cancelled, failed or interrupted run keeps the VMs it finished). */
  function viewable(r: RunSummary): boolean {
    return r.state !== 'running' && r.state !== 'queued' && r.stepsDone > 0;
  }

  /** A run with its results (cached once finished). */
  async function get(runId: number): Promise<RunDetail> {
    const cached = details[runId];
    if (cached !== undefined) return cached;
    const detail = await api().call('run.get', { runId });
    if (detail.state !== 'running' && detail.state !== 'queued') details[runId] = detail;
    return detail;
  }

  return {
    list,
    progress,
    details,
    focus,
    load,
    clear,
    subscribe,
    start,
    cancel,
    resume,
    remove,
    get,
    viewable,
  };
});
