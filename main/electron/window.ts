/** The workbench window: isolated, sandboxed, no Node; loads the renderer from hclab://app/. */
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_URL } from './channels.js';

export function preloadPath(): string {
  return join(import.meta.dirname, 'preload.cjs');
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'HCLab',
    show: false,
    webPreferences: {
      preload: preloadPath(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}
