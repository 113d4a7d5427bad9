#!/usr/bin/env node
/**
 * How many bytes a browser downloads for the workbench's first load in web mode: starts the built
 * web server (dist/) on 127.0.0.1, asks for index.html as Chromium does
 * (`Accept-Encoding: gzip, deflate, br, zstd`), then for every script, module preload and
 * stylesheet index.html names, and sums the bytes on the wire (bodies as sent, compressed or not).
 * With the build manifest it also adds the chunks of the first view shown (the Project view).
 *
 *   npm run build && node scripts/first-load.mjs [--json]
 */
import { readFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const RENDERER = join(DIST, 'renderer');
const ACCEPT = 'gzip, deflate, br, zstd';
const FIRST_VIEW = 'src/views/ProjectView.vue';

function get(port, path) {
  return new Promise((resolveGet, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { 'Accept-Encoding': ACCEPT } },
      (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () =>
          resolveGet({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The files index.html loads before any script runs: scripts, module preloads, stylesheets. */
function initialAssets(html) {
  const out = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) out.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = /\brel="([^"]+)"/.exec(m[0])?.[1];
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
    if (href && !href.startsWith('data:') && (rel === 'stylesheet' || rel === 'modulepreload'))
      out.push(href);
  }
  return out.map((u) => '/' + u.replace(/^\.?\//, ''));
}

/** The chunks (and their CSS) a manifest entry loads statically, minus those already loaded. */
function chunkClosure(manifest, key, seen = new Set()) {
  const entry = manifest[key];
  if (entry === undefined || seen.has(key)) return [];
  seen.add(key);
  const files = [`/${entry.file}`, ...(entry.css ?? []).map((c) => `/${c}`)];
  for (const dep of entry.imports ?? []) files.push(...chunkClosure(manifest, dep, seen));
  return files;
}

const { createApiService } = await import(
  pathToFileURL(join(DIST, 'main/service/api/api-service.js')).href
);
const { startWebServer } = await import(
  pathToFileURL(join(DIST, 'main/transport/web-server.js')).href
);
const service = createApiService({});
const server = await startWebServer({ service, staticDir: RENDERER });
try {
  const rows = [];
  const fetchRow = async (path, group) => {
    const r = await get(server.port, path);
    if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
    const file = join(RENDERER, path === '/' ? 'index.html' : path);
    const raw = existsSync(file) ? readFileSync(file).length : 0;
    rows.push({
      group,
      path,
      wire: r.body.length,
      raw,
      encoding: r.headers['content-encoding'] ?? 'identity',
      cacheControl: r.headers['cache-control'] ?? '',
      etag: r.headers.etag ?? '',
    });
    return r;
  };
  const index = await fetchRow('/', 'index.html');
  const html = index.headers['content-encoding']
    ? readFileSync(join(RENDERER, 'index.html'), 'utf8')
    : index.body.toString('utf8');
  const initial = initialAssets(html);
  for (const path of initial) await fetchRow(path, 'index.html');
  const manifestFile = join(RENDERER, '.vite/manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const loaded = new Set(['/', ...initial]);
    for (const path of chunkClosure(manifest, FIRST_VIEW))
      if (!loaded.has(path)) {
        loaded.add(path);
        await fetchRow(path, 'first view');
      }
  }
  const sum = (group) => rows.filter((r) => group === null || r.group === group);
  const total = (list, key) => list.reduce((a, r) => a + r[key], 0);
  const summary = {
    indexHtmlLoads: {
      files: sum('index.html').length,
      wireBytes: total(sum('index.html'), 'wire'),
      rawBytes: total(sum('index.html'), 'raw'),
    },
    withFirstView: {
      files: rows.length,
      wireBytes: total(rows, 'wire'),
      rawBytes: total(rows, 'raw'),
    },
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ rows, summary }, null, 2) + '\n');
  } else {
    for (const r of rows)
      process.stdout.write(
        `${r.group.padEnd(10)} ${r.path.padEnd(58)} ${String(r.wire).padStart(8)} B on the wire (${r.encoding}), ${String(r.raw).padStart(8)} B raw  ${r.cacheControl}\n`,
      );
    const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
    process.stdout.write(
      `first load (what index.html loads): ${kB(summary.indexHtmlLoads.wireBytes)} on the wire, ${kB(summary.indexHtmlLoads.rawBytes)} uncompressed, ${summary.indexHtmlLoads.files} files\n` +
        `with the first view's chunks:       ${kB(summary.withFirstView.wireBytes)} on the wire, ${kB(summary.withFirstView.rawBytes)} uncompressed, ${summary.withFirstView.files} files\n`,
    );
  }
} finally {
  await server.close();
  await service.close();
}
