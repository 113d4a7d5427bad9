/**
 * The desktop shell's main-process security, tested here without an Electron binary: the
 * `electron` module is replaced by a recording stub, and the real main/electron modules run
 * against it — the window's webPreferences, the session's CSP and permission handlers, the
 * navigation / window-open / webview guards, the `hclab://` protocol and the IPC sender check.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const stub = vi.hoisted(() => {
  const state = {
    windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
    appListeners: new Map<string, Listener[]>(),
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, Listener>(),
    opened: [] as string[],
    sent: [] as { channel: string; payload: unknown; to: number }[],
    contents: [] as { url: string; destroyed: boolean }[],
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: Record<string, unknown>;
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      this.options = options;
      stub.windows.push({ options, loaded: this.loaded });
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    on(): this {
      return this;
    }
    once(): this {
      return this;
    }
    show(): void {}
  }
  return {
    BrowserWindow,
    app: {
      on(event: string, fn: Listener) {
        stub.appListeners.set(event, [...(stub.appListeners.get(event) ?? []), fn]);
      },
    },
    shell: {
      openExternal(url: string) {
        stub.opened.push(url);
        return Promise.resolve();
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        stub.schemes.push(...schemes);
      },
      handle(scheme: string, handler: (req: Request) => Promise<Response>) {
        stub.protocolHandlers.set(scheme, handler);
      },
    },
    ipcMain: {
      handle(channel: string, fn: Listener) {
        stub.ipcHandlers.set(channel, fn);
      },
      removeHandler(channel: string) {
        stub.ipcHandlers.delete(channel);
      },
    },
    webContents: {
      getAllWebContents: () =>
        stub.contents.map((c, to) => ({
          isDestroyed: () => c.destroyed,
          getURL: () => c.url,
          send: (channel: string, payload: unknown) => stub.sent.push({ channel, payload, to }),
        })),
    },
  };
});

// Imported after the mock is in place (vi.mock is hoisted above these).
const { createMainWindow, preloadPath } = await import('../../main/electron/window.js');
const { ELECTRON_CSP, installSecurity, lockWebContents, secureSession } =
  await import('../../main/electron/security.js');
const { registerSchemePrivileges, serveAppProtocol } =
  await import('../../main/electron/protocol.js');
const { registerIpc } = await import('../../main/electron/ipc.js');
const { APP_URL, IPC_CALL, IPC_EVENT } = await import('../../main/electron/channels.js');
const { createApiService } = await import('../../main/service/api/api-service.js');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A stand-in for WebContents that records its handlers. */
function fakeContents() {
  const handlers = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    handlers,
    on(event: string, fn: Listener) {
      handlers.set(event, fn);
      return this;
    },
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      openHandler = fn;
    },
    open(url: string) {
      if (openHandler === null) throw new Error('no window-open handler');
      return openHandler({ url });
    },
    /** Fires `event` for `url`; true when the handler prevented it. */
    fire(event: string, url?: string): boolean {
      let prevented = false;
      const e = { preventDefault: () => (prevented = true) };
      const fn = handlers.get(event);
      if (fn === undefined) throw new Error(`no ${event} handler`);
      fn(e, url);
      return prevented;
    },
  };
}

beforeEach(() => {
  stub.opened.length = 0;
});

describe('the workbench window', () => {
  it('runs isolated, sandboxed, without Node, and loads the app’s own URL', () => {
    createMainWindow();
    const win = stub.windows.at(-1)!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.preload).toBe(preloadPath());
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(win.options.show).toBe(false);
    expect(win.loaded).toEqual([APP_URL]);
    expect(APP_URL).toBe('hclab://app/index.html');
  });
});

describe('the session', () => {
  function fakeSession() {
    const s = {
      headers: null as Listener | null,
      request: null as Listener | null,
      check: null as Listener | null,
      device: null as Listener | null,
      webRequest: {
        onHeadersReceived(fn: Listener) {
          s.headers = fn;
        },
      },
      setPermissionRequestHandler(fn: Listener) {
        s.request = fn;
      },
      setPermissionCheckHandler(fn: Listener) {
        s.check = fn;
      },
      setDevicePermissionHandler(fn: Listener) {
        s.device = fn;
      },
    };
    return s;
  }

  it('puts the strict CSP and nosniff on every response, replacing any other CSP', () => {
    const s = fakeSession();
    secureSession(s as never);
    let out: { responseHeaders: Record<string, string[]> } | null = null;
    s.headers!(
      {
        responseHeaders: {
          'Content-Type': ['text/html'],
          'Content-Security-Policy': ["default-src *; script-src 'unsafe-eval'"],
        },
      },
      (r: { responseHeaders: Record<string, string[]> }) => (out = r),
    );
    expect(out!.responseHeaders['Content-Security-Policy']).toEqual([ELECTRON_CSP]);
    expect(out!.responseHeaders['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(out!.responseHeaders['Content-Type']).toEqual(['text/html']);
    const directives = new Map(
      ELECTRON_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(ELECTRON_CSP).not.toMatch(/unsafe-eval|ws:|https?:/);
  });

  it('denies every permission request, check and device', () => {
    const s = fakeSession();
    secureSession(s as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const answers: boolean[] = [];
      s.request!({}, permission, (ok: boolean) => answers.push(ok));
      expect(answers, permission).toEqual([false]);
      expect(s.check!({}, permission), permission).toBe(false);
    }
    expect(s.device!({ deviceType: 'usb' })).toBe(false);
  });
});

describe('navigation, new windows and webviews', () => {
  it('keeps navigation on hclab://app and opens only http(s) links outside', () => {
    const c = fakeContents();
    lockWebContents(c as never);
    expect(c.fire('will-navigate', 'hclab://app/index.html#results')).toBe(false);
    expect(c.fire('will-navigate', 'https://example.org/paper.pdf')).toBe(true);
    expect(stub.opened).toEqual(['https://example.org/paper.pdf']);
    for (const url of ['file:///etc/passwd', 'hclab://other/index.html', 'javascript:alert(1)'])
      expect(c.fire('will-navigate', url), url).toBe(true);
    expect(stub.opened).toEqual(['https://example.org/paper.pdf']);
    expect(c.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-redirect', 'hclab://app/index.html')).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window, handing http(s) links to the system browser', () => {
    const c = fakeContents();
    lockWebContents(c as never);
    expect(c.open('https://example.org/')).toEqual({ action: 'deny' });
    expect(c.open('hclab://app/index.html')).toEqual({ action: 'deny' });
    expect(c.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(stub.opened).toEqual(['https://example.org/']);
  });

  it('guards every web contents the app creates', () => {
    installSecurity();
    const listeners = stub.appListeners.get('web-contents-created') ?? [];
    expect(listeners.length).toBeGreaterThan(0);
    const c = fakeContents();
    for (const fn of listeners) fn({}, c);
    expect([...c.handlers.keys()].sort()).toEqual([
      'will-attach-webview',
      'will-navigate',
      'will-redirect',
    ]);
    expect(c.open('https://example.org/')).toEqual({ action: 'deny' });
  });
});

describe('the hclab:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    registerSchemePrivileges();
    expect(stub.schemes).toContainEqual({
      scheme: 'hclab',
      privileges: expect.objectContaining({ standard: true, secure: true }),
    });
  });

  it('serves the renderer folder with the CSP, and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hclab-protocol-'));
    dirs.push(dir);
    const root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>HCLab</title>');
    writeFileSync(join(root, 'assets', 'app-AbCd1234.js'), 'export {};');
    writeFileSync(join(root, '.env'), 'hidden');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    serveAppProtocol(root);
    const handler = stub.protocolHandlers.get('hclab')!;
    const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

    const index = await get('hclab://app/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>HCLab</title>');
    const js = await get('hclab://app/assets/app-AbCd1234.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    for (const url of [
      'hclab://app/../secret.txt',
      'hclab://app/%2e%2e/secret.txt',
      'hclab://app/assets/..%2f..%2fsecret.txt',
      'hclab://app/.env',
      'hclab://app/nope.js',
      'hclab://other/index.html',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(r.headers.get('content-security-policy'), url).toBe(ELECTRON_CSP);
      expect(await r.text(), url).not.toContain('outside');
    }
    expect((await get('hclab://app/index.html', 'POST')).status).toBe(404);
  });
});

describe('IPC', () => {
  it('answers only frames showing the app, and pushes events only to app pages', async () => {
    const service = createApiService({});
    const stop = registerIpc(service);
    try {
      const handler = stub.ipcHandlers.get(IPC_CALL)!;
      const request = { method: 'presets.list', params: {} };
      const ok = (await handler({ senderFrame: { url: APP_URL } }, request)) as object;
      expect('result' in ok).toBe(true);
      for (const senderFrame of [{ url: 'https://evil.example/' }, { url: 'file:///x' }, null])
        expect(await handler({ senderFrame }, request)).toMatchObject({
          error: { code: 'UNAUTHORIZED' },
        });

      stub.contents.push(
        { url: APP_URL, destroyed: false },
        { url: 'https://example.org/', destroyed: false },
        { url: APP_URL, destroyed: true },
      );
      stub.sent.length = 0;
      const dir = mkdtempSync(join(tmpdir(), 'hclab-ipc-'));
      dirs.push(dir);
      await service.handle('project.create', { path: join(dir, 'p.hclab') });
      expect(stub.sent.length).toBeGreaterThan(0);
      expect(stub.sent.every((s) => s.channel === IPC_EVENT)).toBe(true);
      // One live app page: every event went to it alone (not the web page, not the destroyed one).
      expect(stub.sent.every((s) => s.to === 0)).toBe(true);
      const events = stub.sent.map((s) => (s.payload as { event: string }).event);
      expect(events).toContain('project.changed');
    } finally {
      stop();
      stub.contents.length = 0;
      await service.close();
    }
    expect(stub.ipcHandlers.has(IPC_CALL)).toBe(false);
  });
});
