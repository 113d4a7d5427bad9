/**
 * Names shared by the Electron main process and the preload: IPC channels and the app's own
 * URL scheme. No imports, so the sandboxed preload bundle stays small and Node-free.
 */

/** ipcRenderer.invoke channel: `{ method, params }` → CallReply. */
export const IPC_CALL = 'hclab:call';
/** webContents.send channel: `{ event, payload }`. */
export const IPC_EVENT = 'hclab:event';
/** ipcRenderer.invoke channel: SaveFileRequest → SaveFileResult (a save dialog for an export). */
export const IPC_SAVE_FILE = 'hclab:save-file';

/** The renderer is served from `hclab://app/…` (a privileged standard scheme). */
export const APP_SCHEME = 'hclab';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Whether `url` is a page of the app itself (the only sender IPC accepts, the only navigation
 * target allowed). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return (
      u.protocol === `${APP_SCHEME}:` &&
      u.host === APP_HOST &&
      u.username === '' &&
      u.password === ''
    );
  } catch {
    return false;
  }
}

/** http(s) links are opened in the user's browser, never inside the app. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
