/** Binds the API service to Electron IPC: one invoke channel, sender validated, events pushed. */
import { BrowserWindow, dialog, ipcMain, webContents } from 'electron';
import type { ApiService } from '../service/api/api-service.js';
import { handleIpcCall } from '../transport/electron-ipc.js';
import { IPC_CALL, IPC_EVENT, IPC_SAVE_FILE, isAppUrl } from './channels.js';
import { handleSaveFile } from './save-file.js';

export function registerIpc(service: ApiService): () => void {
  ipcMain.handle(IPC_CALL, (event, request: unknown) =>
    // senderFrame is null once the frame navigated away or was destroyed: refused.
    handleIpcCall(service, event.senderFrame?.url ?? null, request),
  );
  ipcMain.handle(IPC_SAVE_FILE, (event, request: unknown) =>
    handleSaveFile(event.senderFrame?.url ?? null, request, {
      async choose(defaultName, extension) {
        const win = BrowserWindow.fromWebContents(event.sender);
        const options = {
          title: 'Export',
          defaultPath: defaultName,
          filters:
            extension === '' ? [] : [{ name: extension.toUpperCase(), extensions: [extension] }],
        };
        const r =
          win === null
            ? await dialog.showSaveDialog(options)
            : await dialog.showSaveDialog(win, options);
        return r.canceled ? undefined : r.filePath;
      },
    }),
  );
  const unsubscribe = service.onEvent((e) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT, e);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeHandler(IPC_SAVE_FILE);
  };
}
