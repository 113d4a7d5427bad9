/**
 * Web mode's reach (issue 11, point 6): `hclab serve --root DIR` confines every path the API
 * accepts (symlinks resolved; FORBIDDEN naming the rule), save as never replaces a file (an HCLab
 * project only with overwrite: true), errors never quote a foreign file, NUL bytes and over-long
 * paths are BAD_INPUT, and the token moves from the URL to an HttpOnly, SameSite=Strict cookie.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiService, type ApiService } from '../../main/service/api/api-service.js';
import {
  startWebServer,
  tokenCookieName,
  type WebServer,
} from '../../main/transport/web-server.js';
import { createWebClient } from '../../shared/api/web-client.js';
import type { ApiClient } from '../../shared/api/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'hclab-reach-'));
const root = join(dir, 'root');
const outside = join(dir, 'outside');
mkdirSync(root);
mkdirSync(outside);
symlinkSync(outside, join(root, 'link'));
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin\n';
writeFileSync(join(root, 'passwd'), PASSWD);
writeFileSync(join(outside, 'secret.txt'), '1\n2\n');
writeFileSync(join(root, 'notes.txt'), 'my notes, not a project\n');

let service: ApiService;
let server: WebServer;
let client: ApiClient & { close(): void };

beforeAll(async () => {
  service = createApiService({ root, redactFileContents: true });
  server = await startWebServer({ service });
  client = createWebClient(
    server.origin,
    server.token,
    WebSocket as unknown as typeof globalThis.WebSocket,
  );
});
afterAll(async () => {
  client.close();
  await server.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function code(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  return p.then(
    () => ({ code: 'OK', message: '' }),
    (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
  );
}

describe('--root confines every path', () => {
  it('outside, through a symlink, or with .. : FORBIDDEN naming the rule', async () => {
    for (const path of [
      join(outside, 'p.hclab'),
      join(root, 'link', 'p.hclab'),
      join(root, '..', 'outside', 'p.hclab'),
      '/etc/p.hclab',
    ]) {
      const r = await code(client.call('project.create', { path }));
      expect(r.code, path).toBe('FORBIDDEN');
      expect(r.message).toContain(`the server may only reach files inside`);
      expect(r.message).toContain('hclab serve --root DIR');
    }
    expect((await code(client.call('trace.inspect', { path: '/etc/passwd' }))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await code(client.call('trace.inspect', { path: join(root, 'link', 'secret.txt') }))).code,
    ).toBe('FORBIDDEN');
  });

  it('inside the root works; a VM cannot point at a trace outside it', async () => {
    await client.call('project.create', { path: join(root, 'p.hclab') });
    const vm = { name: 'v', workload: { trace: join(outside, 'secret.txt') }, guestPages: 4 };
    const r = await code(client.call('vm.save', { vm }));
    expect(r.code).toBe('FORBIDDEN');
    expect(r.message).toMatch(/^vm\.workload\.trace: /);
    await client.call('vm.save', { vm: { ...vm, workload: { trace: 'passwd' } } });
  });

  it('errors about a foreign file never quote its contents', async () => {
    const r = await code(client.call('trace.inspect', { path: join(root, 'passwd') }));
    expect(r.code).toBe('BAD_INPUT');
    expect(r.message).toContain('passwd');
    expect(r.message).not.toContain('root:x');
    expect(r.message).not.toContain('daemon');
    const csv = await code(
      client.call('trace.inspect', { path: join(root, 'passwd'), options: { format: 'csv' } }),
    );
    expect(csv.message).not.toContain('root:x');
  });

  it('NUL bytes and over-long paths are BAD_INPUT, not INTERNAL', async () => {
    for (const path of [`${root}/a\0b.hclab`, `${root}/${'x'.repeat(5000)}`]) {
      for (const method of ['project.open', 'project.create', 'trace.inspect'] as const) {
        expect((await code(client.call(method, { path }))).code).toBe('BAD_INPUT');
      }
    }
  });
});

describe('project.saveAs', () => {
  it('never replaces an existing file; overwrite: true replaces an HCLab project only', async () => {
    await client.call('project.create', { path: join(root, 'a.hclab') });
    const notes = join(root, 'notes.txt');
    const kept = await code(client.call('project.saveAs', { path: notes }));
    expect(kept.code).toBe('BAD_INPUT');
    expect(kept.message).toContain('already exists; it is never replaced');
    const forced = await code(client.call('project.saveAs', { path: notes, overwrite: true }));
    expect(forced.code).toBe('CORRUPT');
    expect(readFileSync(notes, 'utf8')).toBe('my notes, not a project\n');
    // Another project may be replaced when asked to.
    const b = join(root, 'b.hclab');
    await client.call('project.create', { path: b });
    await client.call('project.open', { path: join(root, 'a.hclab') });
    expect((await code(client.call('project.saveAs', { path: b }))).code).toBe('BAD_INPUT');
    expect(await client.call('project.saveAs', { path: b, overwrite: true })).toMatchObject({
      path: b,
    });
  });
});

describe('the token cookie', () => {
  it('the page load with ?token= sets an HttpOnly, SameSite=Strict cookie that authenticates', async () => {
    const page = await fetch(`${server.origin}/?token=${server.token}`);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toBe(
      `${tokenCookieName(server.port)}=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
    );
    const call = (headers: Record<string, string>) =>
      fetch(`${server.origin}/api/call`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ method: 'project.current', params: {} }),
      });
    expect((await call({ Cookie: `${tokenCookieName(server.port)}=${server.token}` })).status).toBe(
      200,
    );
    expect((await call({ Cookie: `${tokenCookieName(server.port)}=wrong` })).status).toBe(401);
    expect((await call({})).status).toBe(401);
    expect((await call({ Authorization: `Bearer ${server.token}` })).status).toBe(200);
    // A load without the token sets no cookie.
    expect((await fetch(`${server.origin}/`)).headers.get('set-cookie')).toBeNull();
  });
});
