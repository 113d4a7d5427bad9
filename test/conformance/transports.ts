/**
 * The transports the conformance suite runs over: each gives an ApiClient on a fresh API service.
 * in-process; web (a real server on 127.0.0.1, Node's fetch and the `ws` package); the Electron
 * IPC bridge as the preload and ipcMain wire it (structured clone, sender validation) without
 * Electron; real Electron IPC where an Electron binary exists.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocketImpl from 'ws';
import { METHOD_NAMES, type ApiClient, type ApiEvent } from '../../shared/api/contract.js';
import { unwrapReply, type CallReply, type HclabBridge } from '../../shared/api/envelope.js';
import { createWebClient } from '../../shared/api/web-client.js';
import {
  createApiService,
  windowRelativePathReason,
  type ApiService,
} from '../../main/service/api/api-service.js';
import { APP_URL } from '../../main/electron/channels.js';
import { handleIpcCall } from '../../main/transport/electron-ipc.js';
import { createInProcessClient } from '../../main/transport/in-process.js';
import { startWebServer } from '../../main/transport/web-server.js';
import { createElectronClient } from '../../renderer/src/api/electron-client.js';
import { electronForTests } from '../support/electron.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface Transport {
  client: ApiClient;
  /** The service behind the client, when it runs in this process. */
  service?: ApiService;
  web?: { origin: string; token: string; staticDir: string };
  close(): Promise<void>;
}

export interface TransportFactory {
  name: string;
  /** Why this transport cannot run here, or null. */
  skip: string | null;
  create(scratch: string): Promise<Transport>;
}

/** The Electron binary's path, or why there is none. */
export function serviceFor(scratch: string): ApiService {
  // As `hclab serve` and the desktop app do: the window's relative project paths are refused.
  return createApiService({
    recentFile: join(scratch, 'recent.json'),
    workers: 1,
    refuseRelativePaths: windowRelativePathReason(),
  });
}

const inProcess: TransportFactory = {
  name: 'in-process',
  skip: null,
  async create(scratch) {
    const service = serviceFor(scratch);
    return { client: createInProcessClient(service), service, close: () => service.close() };
  },
};

const web: TransportFactory = {
  name: 'web',
  skip: null,
  async create(scratch) {
    const service = serviceFor(scratch);
    const staticDir = join(scratch, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>HCLab</title>\n');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("hclab");\n');
    writeFileSync(join(scratch, 'secret.txt'), 'not for the web\n');
    const server = await startWebServer({ service, staticDir });
    const client = createWebClient(
      server.origin,
      server.token,
      WebSocketImpl as unknown as typeof WebSocket,
      { reconnectMs: 50 },
    );
    return {
      client,
      service,
      web: { origin: server.origin, token: server.token, staticDir },
      async close() {
        client.close();
        await server.close();
        await service.close();
      },
    };
  },
};

/** What the preload + ipcMain do, minus Electron: structured clone both ways, sender checked. */
export function fakeBridge(service: ApiService, senderUrl: string): HclabBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    bridge[method] = async (params: unknown): Promise<CallReply> =>
      structuredClone(await handleIpcCall(service, senderUrl, structuredClone({ method, params })));
  }
  bridge.onEvent = (listener: (e: ApiEvent) => void) =>
    service.onEvent((e) => listener(structuredClone(e)));
  return bridge as HclabBridge;
}

const ipcBridge: TransportFactory = {
  name: 'electron-ipc-bridge',
  skip: null,
  async create(scratch) {
    const service = serviceFor(scratch);
    const client = createElectronClient(fakeBridge(service, APP_URL));
    return { client, service, close: () => service.close() };
  },
};

const electronBin = electronForTests();

const electron: TransportFactory = {
  name: 'electron',
  skip: 'missing' in electronBin ? electronBin.missing : null,
  async create(scratch) {
    if ('missing' in electronBin) throw new Error(electronBin.missing);
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: electronBin.path,
      args: [REPO_ROOT],
      cwd: REPO_ROOT,
      // electronForTests() adds HCLAB_SQLITE_BINDING when better-sqlite3 needs an Electron build.
      env: { ...electronBin.env, HCLAB_USER_DATA: join(scratch, 'electron-profile') },
    });
    const page = await app.firstWindow();
    await page.waitForFunction(() => typeof (globalThis as { hclab?: unknown }).hclab === 'object');
    const listeners = new Set<(e: ApiEvent) => void>();
    await page.exposeFunction('__hclabTestEvent', (e: ApiEvent) => {
      for (const l of listeners) l(e);
    });
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        hclab: HclabBridge;
        __hclabTestEvent: (e: unknown) => void;
      };
      g.hclab.onEvent((e) => g.__hclabTestEvent(e));
    });
    const client: ApiClient = {
      async call(method, params) {
        const reply = await page.evaluate(
          ([m, p]) =>
            (
              globalThis as unknown as { hclab: Record<string, (x: unknown) => Promise<unknown>> }
            ).hclab[m](p),
          [method, params] as const,
        );
        return unwrapReply(method, reply);
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return { client, close: () => app.close() };
  },
};

export const TRANSPORTS: TransportFactory[] = [inProcess, web, ipcBridge, electron];
