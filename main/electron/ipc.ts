/** Binds the API service to Electron IPC: one invoke channel, sender validated, events pushed. */
import { ipcMain, webContents } from 'electron';
import type { ApiService } from '../service/api/api-service.js';
import { handleIpcCall } from '../transport/electron-ipc.js';
import { IPC_CALL, IPC_EVENT, isAppUrl } from './channels.js';

export function registerIpc(service: ApiService): () => void {
  ipcMain.handle(IPC_CALL, (event, request: unknown) =>
    // senderFrame is null once the frame navigated away or was destroyed: refused.
    handleIpcCall(service, event.senderFrame?.url ?? null, request),
  );
  const unsubscribe = service.onEvent((e) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT, e);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
