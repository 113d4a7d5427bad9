/**
 * The preload of the HCLab window (sandboxed; bundled to preload.cjs by scripts/build-preload.mjs).
 * Exposes `window.hclab`: one function per contract method, each resolving to the reply
 * `{result}` | `{error: {code, message}}` (errors do not survive contextBridge as objects), and
 * `onEvent(listener)` returning an unsubscribe function. Nothing else of Electron or Node leaks.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES } from '../../shared/api/contract.js';
import type { ApiEvent } from '../../shared/api/contract.js';
import type { CallReply } from '../../shared/api/envelope.js';
import { IPC_CALL, IPC_EVENT, IPC_SAVE_FILE } from './channels.js';

const bridge: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  bridge[method] = (params: unknown): Promise<CallReply> =>
    ipcRenderer.invoke(IPC_CALL, { method, params }) as Promise<CallReply>;
}
bridge.onEvent = (listener: (e: ApiEvent) => void): (() => void) => {
  if (typeof listener !== 'function') throw new TypeError('onEvent expects a function');
  const handler = (_event: IpcRendererEvent, e: ApiEvent) => listener(e);
  ipcRenderer.on(IPC_EVENT, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT, handler);
  };
};

// Exports: the main process shows a save dialog and writes the file (see shared/api/save-file.ts).
bridge.saveFile = (request: unknown): Promise<unknown> =>
  ipcRenderer.invoke(IPC_SAVE_FILE, request);

contextBridge.exposeInMainWorld('hclab', bridge);
