/**
 * How the web server sends the built renderer: compressed (brotli or gzip, as the browser's
 * Accept-Encoding allows), with an ETag per representation, answering If-None-Match with 304.
 * Vite's content-hashed assets (`assets/name-HASH.js`) never change under their name, so they are
 * cached for a year (`immutable`); everything else (index.html) is revalidated on every load
 * (`no-cache` + ETag). Compressed bodies are kept in memory, keyed by file and modification.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type Encoding = 'br' | 'gzip' | 'identity';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Vite's hashed output: `assets/<name>-<8+ url-safe base64 chars>.<ext>`. */
const HASHED_ASSET = /(^|\/)assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** The Cache-Control of a file (path relative to the renderer root, `/` separated). */
export function cacheControlOf(relPath: string): string {
  return HASHED_ASSET.test(relPath) ? IMMUTABLE : REVALIDATE;
}

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|wasm|xml)|image\/svg\+xml)/;
/** Below this size compression gains nothing worth a header. */
const MIN_COMPRESS_BYTES = 256;

/**
 * The encoding to send for an Accept-Encoding header: brotli when acceptable, else gzip, else
 * none. Honours q-values (`gzip;q=0` refuses gzip) and `*`.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (name: string): number => q.get(name) ?? q.get('*') ?? 0;
  const br = weightOf('br');
  const gzipQ = Math.max(weightOf('gzip'), q.get('x-gzip') ?? 0);
  if (br > 0 && br >= gzipQ) return 'br';
  if (gzipQ > 0) return 'gzip';
  return 'identity';
}

export interface Representation {
  body: Buffer;
  encoding: Encoding;
  etag: string;
}

interface Entry {
  mtimeMs: number;
  size: number;
  hash: string;
  identity: Buffer;
  compressible: boolean;
  variants: Map<Encoding, Promise<Buffer | null>>;
}

const cache = new Map<string, Entry>();

async function compress(body: Buffer, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  if (encoding === 'br')
    return brotli(body, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 11,
        [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  return gz(body, { level: 9 });
}

/**
 * The representation of `file` (its bytes `body`, last modified `mtimeMs`) to send for
 * `accept`: compressed when the type is compressible, the browser accepts it and it is smaller.
 */
export async function representationOf(
  file: string,
  body: Buffer,
  mtimeMs: number,
  contentType: string,
  accept: string | undefined,
): Promise<Representation> {
  let entry = cache.get(file);
  if (entry === undefined || entry.mtimeMs !== mtimeMs || entry.size !== body.length) {
    entry = {
      mtimeMs,
      size: body.length,
      hash: createHash('sha256').update(body).digest('base64url').slice(0, 27),
      identity: body,
      compressible: COMPRESSIBLE.test(contentType) && body.length >= MIN_COMPRESS_BYTES,
      variants: new Map(),
    };
    cache.set(file, entry);
  }
  const identity: Representation = {
    body: entry.identity,
    encoding: 'identity',
    etag: `"${entry.hash}"`,
  };
  const encoding = chooseEncoding(accept);
  if (encoding === 'identity' || !entry.compressible) return identity;
  let variant = entry.variants.get(encoding);
  if (variant === undefined) {
    const identityBody = entry.identity;
    variant = compress(identityBody, encoding).then(
      (c) => (c.length < identityBody.length ? c : null),
      () => null,
    );
    entry.variants.set(encoding, variant);
  }
  const compressed = await variant;
  if (compressed === null) return identity;
  return { body: compressed, encoding, etag: `"${entry.hash}-${encoding}"` };
}

/** True when the request's If-None-Match names `etag` (or `*`); weak validators compare too. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const strip = (t: string): string => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === etag);
}
