/**
 * The web transport's guards: token on every call and on the events socket, Host header,
 * static files (content types, CSP, no traversal), body limit; and the Electron IPC bridge's
 * sender validation.
 */
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiService, type ApiService } from '../../main/service/api/api-service.js';
import {
  CONTENT_SECURITY_POLICY,
  startWebServer,
  type WebServer,
} from '../../main/transport/web-server.js';
import { handleIpcCall } from '../../main/transport/electron-ipc.js';
import { APP_URL } from '../../main/electron/channels.js';
import { createWebClient } from '../../shared/api/web-client.js';
import type { ApiEvent } from '../../shared/api/contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A raw request (fetch would normalise `..` and refuse to set Host). */
function raw(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function upgrade(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('web server security', () => {
  let dir: string;
  let service: ApiService;
  let server: WebServer;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-web-'));
    dirs.push(dir);
    const staticDir = join(dir, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>HCLab</title>\n');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};\n');
    writeFileSync(join(staticDir, 'assets', 'app.css'), 'body{}\n');
    writeFileSync(join(staticDir, '.env'), 'hidden\n');
    writeFileSync(join(dir, 'secret.txt'), 'outside\n');
    service = createApiService({});
    server = await startWebServer({ service, staticDir, maxBodyBytes: 4096 });
  });
  afterEach(async () => {
    await server.close();
    await service.close();
  });

  const call = { method: 'presets.list', params: {} };

  it('binds 127.0.0.1 and hands out a URL carrying a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(server.url).toContain(server.token);
  });

  it('answers 401 UNAUTHORIZED without the token or with a wrong one', async () => {
    const none = await fetch(`${server.origin}/api/call`, {
      method: 'POST',
      body: JSON.stringify(call),
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String) },
    });
    const wrong = await fetch(`${server.origin}/api/call?token=${'0'.repeat(64)}`, {
      method: 'POST',
      headers: { Authorization: 'Bearer nope' },
      body: JSON.stringify(call),
    });
    expect(wrong.status).toBe(401);
    const client = createWebClient(
      server.origin,
      'wrong',
      WebSocket as unknown as typeof globalThis.WebSocket,
    );
    await expect(client.call('presets.list', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('accepts the token as a Bearer header or ?token=', async () => {
    const header = await fetch(`${server.origin}/api/call`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: JSON.stringify(call),
    });
    expect(header.status).toBe(200);
    const query = await fetch(`${server.origin}/api/call?token=${server.token}`, {
      method: 'POST',
      body: JSON.stringify(call),
    });
    expect(((await query.json()) as { result: unknown[] }).result.length).toBeGreaterThan(0);
  });

  it('refuses bad bodies with BAD_INPUT, oversized ones with 413', async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    const notJson = await raw(server.port, '/api/call', auth, 'POST', '{nope');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'BAD_INPUT' } });
    const big = await raw(
      server.port,
      '/api/call',
      auth,
      'POST',
      JSON.stringify({ ...call, pad: 'x'.repeat(8000) }),
    );
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: { code: 'BAD_INPUT' } });
    const get = await raw(server.port, `/api/call?token=${server.token}`);
    expect(get.status).toBe(405);
  });

  it('requires the token on the events socket', async () => {
    const ws = server.origin.replace('http:', 'ws:');
    expect(await upgrade(`${ws}/api/events`)).toBe(401);
    expect(await upgrade(`${ws}/api/events?token=wrong`)).toBe(401);
    expect(
      await upgrade(`${ws}/api/events?token=${server.token}`, { Origin: 'http://evil.example' }),
    ).toBe(403);
    expect(await upgrade(`${ws}/api/events?token=${server.token}`)).toBe('open');
  });

  it('pushes events to web clients and reconnects after the server restarts', async () => {
    const client = createWebClient(
      server.origin,
      server.token,
      WebSocket as unknown as typeof globalThis.WebSocket,
      { reconnectMs: 20 },
    );
    const path = join(dir, 'p.hclab');
    await client.call('project.create', { path });
    const events: ApiEvent[] = [];
    const off = client.onEvent((e) => events.push(e));
    // Each re-open sends project.changed; repeat until the socket is up and one arrives.
    const eventuallyReceived = () =>
      expect
        .poll(async () => {
          await client.call('project.open', { path });
          return events.length;
        })
        .toBeGreaterThan(0);
    await eventuallyReceived();
    expect(events[0]).toEqual({ event: 'project.changed', payload: { what: 'project' } });

    const { port, token } = server;
    await server.close(); // drops the events socket
    server = await startWebServer({ service, port, token, staticDir: join(dir, 'renderer') });
    events.length = 0;
    await eventuallyReceived();
    off();
    client.close();
  });

  it('refuses a Host header that is not the server itself', async () => {
    const r = await raw(server.port, '/', { Host: 'evil.example' });
    expect(r.status).toBe(421);
  });

  it('serves the renderer with CSP and content types, never outside its folder', async () => {
    const index = await raw(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.body).toContain('<title>HCLab</title>');
    expect((await raw(server.port, '/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await raw(server.port, '/assets/app.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/.env',
      '/assets/',
      '/nope.js',
      '/%00',
    ]) {
      const r = await raw(server.port, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside');
    }
  });
});

describe('Electron IPC sender validation', () => {
  it('answers only the app’s own frame', async () => {
    const service = createApiService({});
    try {
      const request = { method: 'presets.list', params: {} };
      const ok = await handleIpcCall(service, APP_URL, request);
      expect('result' in ok).toBe(true);
      for (const sender of [
        'https://evil.example/',
        'file:///etc/passwd',
        'hclab://other/index.html',
        null,
        undefined,
        'not a url',
      ]) {
        const r = await handleIpcCall(service, sender, request);
        expect(r, String(sender)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      }
    } finally {
      await service.close();
    }
  });
});
