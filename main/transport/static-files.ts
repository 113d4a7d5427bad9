/** Serving the built renderer: safe path resolution and content types (web server and Electron). */
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` (absolute, resolved) that the URL path `pathname` names — `index.html`
 * for `/` — or null when it would leave `root`, names a hidden file or is malformed.
 */
export function staticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (rel.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null;
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

/** Reads the file `pathname` names under `root` (symlinks may not lead outside); null if none. */
export async function readStaticFile(
  root: string,
  pathname: string,
): Promise<{ file: string; body: Buffer; contentType: string; mtimeMs: number } | null> {
  const file = staticPath(root, pathname);
  if (file === null) return null;
  try {
    const real = await realpath(file);
    if (real !== root && !real.startsWith(root + sep)) return null;
    const st = await stat(real);
    if (!st.isFile()) return null;
    return {
      file: real,
      body: await readFile(real),
      contentType: contentTypeOf(real),
      mtimeMs: st.mtimeMs,
    };
  } catch {
    return null;
  }
}
