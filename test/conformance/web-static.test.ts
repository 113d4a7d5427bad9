/**
 * How the web server sends the built renderer: brotli or gzip as Accept-Encoding allows, ETags
 * with 304 on If-None-Match, hashed assets cached for a year (immutable), index.html revalidated;
 * the security headers stay on every answer. And the real build's first load stays small.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiService, type ApiService } from '../../main/service/api/api-service.js';
import { chooseEncoding } from '../../main/transport/static-response.js';
import {
  CONTENT_SECURITY_POLICY,
  startWebServer,
  type WebServer,
} from '../../main/transport/web-server.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request: the body exactly as sent (Node's http does not decompress). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<Reply>((resolveGet, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolveGet({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Some compressible JavaScript (several kB). */
const SCRIPT = Array.from(
  { length: 300 },
  (_, i) => `export const value${i} = 'the workbench chunk ${i % 7}';\n`,
).join('');
const HASHED = '/assets/index-Bx3_9aZq.js';
const INDEX = `<!doctype html><title>HCLab</title><script type="module" src=".${HASHED}"></script>\n${' '.repeat(400)}`;

describe('web server: compression, ETags and caching of the renderer', () => {
  let service: ApiService;
  let server: WebServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hclab-web-static-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, HASHED), SCRIPT);
    writeFileSync(join(dir, 'assets', 'plain.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'tiny-Ab12Cd34.css'), 'body{}\n');
    service = createApiService({});
    server = await startWebServer({ service, staticDir: dir });
  });
  afterAll(async () => {
    await server.close();
    await service.close();
  });

  it('chooses brotli, then gzip, honouring q-values', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0.5, br;q=0.1')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding('gzip;q=0, br;q=0')).toBe('identity');
    expect(chooseEncoding(undefined)).toBe('identity');
  });

  it('sends brotli or gzip as the browser accepts, the same bytes once decoded', async () => {
    const br = await get(server.port, HASHED, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);

    const gz = await get(server.port, HASHED, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(SCRIPT);

    const plain = await get(server.port, HASHED);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');

    // A file too small to gain is sent as it is.
    const tiny = await get(server.port, '/assets/tiny-Ab12Cd34.css', { 'Accept-Encoding': 'br' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('body{}\n');
  });

  it('caches hashed assets for a year and revalidates index.html and unhashed files', async () => {
    const asset = await get(server.port, HASHED, { 'Accept-Encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/assets/plain.js']) {
      const r = await get(server.port, path, { 'Accept-Encoding': 'gzip' });
      expect(r.status, path).toBe(200);
      expect(r.headers['cache-control'], path).toBe('no-cache');
      expect(r.headers.etag, path).toMatch(/^"[A-Za-z0-9_-]+(-gzip)?"$/);
    }
    const index = await get(server.port, '/', { 'Accept-Encoding': 'gzip' });
    expect(index.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(index.body).toString()).toBe(INDEX);
  });

  it('answers If-None-Match with 304 and no body; another encoding has its own ETag', async () => {
    const first = await get(server.port, '/', { 'Accept-Encoding': 'br' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/-br"$/);
    const again = await get(server.port, '/', { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('no-cache');
    expect(again.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // Weak and listed validators match too.
    const weak = await get(server.port, '/', {
      'Accept-Encoding': 'br',
      'If-None-Match': `"other", W/${etag}`,
    });
    expect(weak.status).toBe(304);

    const identity = await get(server.port, '/');
    expect(identity.headers.etag).not.toBe(etag);
    const stale = await get(server.port, '/', { 'If-None-Match': etag });
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toBe(INDEX);
    const fresh = await get(server.port, '/', {
      'If-None-Match': identity.headers.etag as string,
    });
    expect(fresh.status).toBe(304);
  });

  it('a changed file gets a new ETag', async () => {
    const before = (await get(server.port, '/assets/plain.js')).headers.etag;
    const file = join(dirs[0], 'assets', 'plain.js');
    writeFileSync(file, SCRIPT + '// changed\n');
    const after = await get(server.port, '/assets/plain.js', { 'If-None-Match': String(before) });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(after.body.toString()).toBe(SCRIPT + '// changed\n');
  });

  it('HEAD has the headers of GET and no body; security headers stay', async () => {
    const head = await get(server.port, HASHED, { 'Accept-Encoding': 'br' }, 'HEAD');
    const full = await get(server.port, HASHED, { 'Accept-Encoding': 'br' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-length', 'content-encoding', 'etag', 'cache-control'])
      expect(head.headers[h], h).toBe(full.headers[h]);
    expect(full.headers['x-content-type-options']).toBe('nosniff');
    expect(full.headers['referrer-policy']).toBe('no-referrer');
  });
});

const ROOT = resolve(import.meta.dirname, '../..');
const BUILT = join(ROOT, 'dist/renderer');
const MANIFEST = join(BUILT, '.vite/manifest.json');
const built = existsSync(join(BUILT, 'index.html')) && existsSync(MANIFEST);
if (!built)
  console.warn('[skip] the renderer build is missing (run npm run build): first-load size');

describe.skipIf(!built)('the built renderer (dist/renderer)', () => {
  let service: ApiService;
  let server: WebServer;
  beforeAll(async () => {
    service = createApiService({});
    server = await startWebServer({ service, staticDir: BUILT });
  });
  afterAll(async () => {
    await server.close();
    await service.close();
  });

  it('loads under 300 kB compressed at first, without the chart library', async () => {
    const accept = { 'Accept-Encoding': 'gzip, deflate, br, zstd' };
    const html = readFileSync(join(BUILT, 'index.html'), 'utf8');
    const assets = [
      ...[...html.matchAll(/<script\b[^>]*\bsrc="\.\/([^"]+)"/g)].map((m) => m[1]),
      ...[...html.matchAll(/<link\b[^>]*\bhref="\.\/([^"]+)"/g)].map((m) => m[1]),
    ];
    expect(assets.length).toBeGreaterThan(0);
    let wire = (await get(server.port, '/', accept)).body.length;
    for (const a of assets) {
      const r = await get(server.port, `/${a}`, accept);
      expect(r.status, a).toBe(200);
      expect(r.headers['cache-control'], a).toBe('public, max-age=31536000, immutable');
      if (a.endsWith('.js')) expect(r.headers['content-encoding'], a).toBe('br');
      wire += r.body.length;
      // chart.js (its scale internals keep this name when minified) belongs to the chart views.
      if (a.endsWith('.js'))
        expect(brotliDecompressSync(r.body).toString(), a).not.toContain('_getLabelCapacity');
    }
    expect(wire).toBeLessThan(300_000);
    // Every view is its own chunk, loaded on demand.
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<
      string,
      { isEntry?: boolean; dynamicImports?: string[] }
    >;
    const entry = Object.values(manifest).find((e) => e.isEntry === true);
    expect(entry?.dynamicImports).toEqual(
      expect.arrayContaining([
        'src/views/ProjectView.vue',
        'src/views/VmsView.vue',
        'src/views/ExperimentsView.vue',
        'src/views/ResultsView.vue',
        'src/views/AllocationView.vue',
        'src/views/CrashView.vue',
      ]),
    );
  });
});
