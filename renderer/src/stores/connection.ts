/**
 * The window's link to its service. When the server (web mode) goes away the window says so at
 * once and disables its controls while the client reconnects; when it is back everything is
 * reloaded (events were missed). A refused token means the page belongs to an earlier server.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConnectionStatus } from '../../../shared/api/contract.js';
import { api } from '../api/index.js';
import { useProjectStore } from './project.js';

export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>({ state: 'online', attempt: 0, reconnected: false });
  let watching = false;

  /** Online, or still connecting for the first time (calls work; nothing to warn about). */
  const online = computed(
    () => status.value.state === 'online' || status.value.state === 'connecting',
  );

  function watch(): void {
    if (watching) return;
    watching = true;
    api().onConnection?.((s) => {
      status.value = s;
      if (s.state === 'online' && s.reconnected) void useProjectStore().refresh();
    });
  }

  return { status, online, watch };
});
