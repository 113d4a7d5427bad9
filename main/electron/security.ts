/**
 * Security settings of the desktop app: a strict CSP, no navigation away from the app, no new
 * windows (http(s) links open in the browser), no permissions, no <webview>.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../transport/csp.js';
import { isAppUrl, isExternalWebUrl } from './channels.js';

export const ELECTRON_CSP = contentSecurityPolicy("'self'");

function openExternally(url: string): void {
  if (isExternalWebUrl(url)) void shell.openExternal(url);
}

/** CSP on every response of the session; every permission request and check denied. */
export function secureSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [ELECTRON_CSP],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Navigation stays on the app's own URL; new windows are denied. */
export function lockWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** Applies {@link lockWebContents} to every web contents the app ever creates. */
export function installSecurity(): void {
  app.on('web-contents-created', (_event, contents) => lockWebContents(contents));
}
