/**
 * The web client's view of its connection: online once the events socket opens, offline at once
 * when the server goes away (and reconnecting), stale-token when a server answers but refuses
 * the page's token (a restarted server has a new one), no-token for a page without one; and the
 * server's wording of each refusal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../shared/api/contract.js';
import { ApiError } from '../../shared/api/errors.js';
import { createWebClient } from '../../shared/api/web-client.js';
import { createApiService } from '../../main/service/api/api-service.js';
import { startWebServer } from '../../main/transport/web-server.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function staticDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hclab-conn-'));
  dirs.push(d);
  return d;
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('web connection status', () => {
  it('words a missing token and a token from an earlier server differently', async () => {
    const service = createApiService();
    const server = await startWebServer({ service, staticDir: staticDir(), token: 'a'.repeat(64) });
    try {
      const none = await refusal(createWebClient(server.origin, '').call('presets.list', {}));
      expect(none.code).toBe('UNAUTHORIZED');
      expect(none.message).toContain('opened without its access token');
      const old = await refusal(
        createWebClient(server.origin, 'b'.repeat(64)).call('presets.list', {}),
      );
      expect(old.code).toBe('UNAUTHORIZED');
      expect(old.message).toContain('belongs to an earlier HCLab server');
      expect(old.message).toContain('open the new URL');
    } finally {
      await server.close();
      await service.close();
    }
  });

  it('goes offline at once when the server stops, then stale-token when a new one refuses it', async () => {
    const service = createApiService();
    const server = await startWebServer({ service, staticDir: staticDir() });
    const client = createWebClient(server.origin, server.token, WebSocket as never, {
      reconnectMs: 50,
      maxReconnectMs: 100,
    });
    const seen: ConnectionStatus[] = [];
    client.onConnection!((s) => seen.push(s));
    const off = client.onEvent(() => {});
    try {
      await expect.poll(() => seen.at(-1)?.state).toBe('online');
      await server.close();
      await expect.poll(() => seen.at(-1)?.state).toBe('offline');
      await expect.poll(() => seen.at(-1)?.attempt ?? 0).toBeGreaterThan(0);
      // A call while offline fails with a readable message.
      const down = await refusal(client.call('presets.list', {}));
      expect(down.message).toContain('cannot reach the HCLab server');

      // A new server on the same port (a new token): the page is stale.
      const again = await startWebServer({ service, staticDir: staticDir(), port: server.port });
      try {
        await expect.poll(() => seen.at(-1)?.state, { timeout: 10_000 }).toBe('stale-token');
      } finally {
        await again.close();
      }
    } finally {
      off();
      client.close();
      await service.close();
    }
  });

  it('comes back online (reconnected) when the same server returns', async () => {
    const service = createApiService();
    const token = 'c'.repeat(64);
    const server = await startWebServer({ service, staticDir: staticDir(), token });
    const client = createWebClient(server.origin, token, WebSocket as never, {
      reconnectMs: 50,
      maxReconnectMs: 100,
    });
    const seen: ConnectionStatus[] = [];
    client.onConnection!((s) => seen.push(s));
    const off = client.onEvent(() => {});
    try {
      await expect.poll(() => seen.at(-1)?.state).toBe('online');
      await server.close();
      await expect.poll(() => seen.at(-1)?.state).toBe('offline');
      const again = await startWebServer({
        service,
        staticDir: staticDir(),
        token,
        port: server.port,
      });
      try {
        await expect
          .poll(() => seen.at(-1), { timeout: 10_000 })
          .toMatchObject({
            state: 'online',
            reconnected: true,
          });
      } finally {
        await again.close();
      }
    } finally {
      off();
      client.close();
      await service.close();
    }
  });
});
