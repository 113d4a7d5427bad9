/**
 * The one API client of the workbench window. In the desktop app the preload script exposes
 * `window.hclab` (Electron IPC, wrapped by ./electron-client.ts); in a browser the web transport
 * serves this page with `?token=…` and the client speaks HTTP + WebSocket to the same origin.
 * The renderer never imports Node or Electron.
 */
import type { ApiClient } from '../../../shared/api/contract.js';
import { createWebClient } from '../../../shared/api/web-client.js';

interface ElectronClientModule {
  createElectronClient(): ApiClient;
}

// A glob import so this file builds whether or not the Electron wrapper exists yet; it is
// bundled as a separate chunk and only loaded inside Electron.
const electronModules = import.meta.glob<ElectronClientModule>('./electron-client.ts');

let clientPromise: Promise<ApiClient> | null = null;

/** Whether the window runs inside the Electron shell (menus drive open/save dialogs there). */
export function isElectron(): boolean {
  return typeof (window as { hclab?: unknown }).hclab === 'object';
}

export function getClient(): Promise<ApiClient> {
  clientPromise ??= makeClient();
  return clientPromise;
}

async function makeClient(): Promise<ApiClient> {
  if (isElectron()) {
    const load = electronModules['./electron-client.ts'];
    if (load === undefined) throw new Error('this build has no Electron client');
    const mod = await load();
    return mod.createElectronClient();
  }
  // The server answered the page load carrying ?token= with an HttpOnly session cookie: remove
  // the token from the address bar (history, bookmarks, screen shares) and rely on the cookie.
  const params = new URLSearchParams(location.search);
  if (params.has('token')) {
    params.delete('token');
    const query = params.toString();
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${query === '' ? '' : `?${query}`}${location.hash}`,
    );
  }
  return createWebClient(location.origin, '');
}
