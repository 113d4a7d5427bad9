/** The app's own scheme `hclab://app/…`, serving the built renderer (dist/renderer). */
import { protocol } from 'electron';
import { resolve } from 'node:path';
import { readStaticFile } from '../transport/static-files.js';
import { APP_HOST, APP_SCHEME } from './channels.js';
import { ELECTRON_CSP } from './security.js';

/** Must run before the app is ready. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** dist/renderer next to the compiled dist/main/electron/. */
export function rendererDir(): string {
  return resolve(import.meta.dirname, '../../renderer');
}

/** Serves `hclab://app/PATH` from `root` (no traversal, GET only, CSP on every response). */
export function serveAppProtocol(root: string = rendererDir()): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = {
      'Content-Security-Policy': ELECTRON_CSP,
      'X-Content-Type-Options': 'nosniff',
    };
    if (url.host !== APP_HOST || request.method !== 'GET')
      return new Response('not found', { status: 404, headers });
    const found = await readStaticFile(root, url.pathname);
    if (found === null) return new Response('not found', { status: 404, headers });
    return new Response(new Uint8Array(found.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': found.contentType },
    });
  });
}
