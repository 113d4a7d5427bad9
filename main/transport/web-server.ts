/**
 * The web transport: HTTP + WebSocket on 127.0.0.1 only, guarded by a random token.
 *
 * - `POST /api/call` `{method, params}` → `{result}` | `{error: {code, message}}`
 * - `GET /api/events` (WebSocket upgrade) pushes every service event as `{event, payload}`
 * - everything else: the built renderer's static files (index.html for `/`)
 *
 * The token is required on every API call and on the WebSocket upgrade (header
 * `Authorization: Bearer TOKEN` or `?token=TOKEN`); missing or wrong → 401 UNAUTHORIZED. The Host
 * header must name the server itself (against DNS rebinding). Static files need no token: they
 * are the public build of the renderer and hold no data. They are sent compressed with ETags;
 * hashed assets are cached for good, index.html is revalidated (see static-response.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join, relative, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { httpStatusOf, toWireJson, type CallReply } from '../../shared/api/envelope.js';
import { ApiError } from '../../shared/api/errors.js';
import type { ApiService } from '../service/api/api-service.js';
import { dispatch } from './dispatch.js';
import { readStaticFile } from './static-files.js';
import { cacheControlOf, notModified, representationOf } from './static-response.js';
import { contentSecurityPolicy } from './csp.js';

export const HOST = '127.0.0.1';
/** Largest request body (trace.embed carries a base64 trace). */
export const MAX_BODY_BYTES = 64 * 2 ** 20;

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self' ws://127.0.0.1:*");

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The page URL carries the token: never send it on as a referrer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface WebServerOptions {
  service: ApiService;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** The built renderer (default: dist/renderer of this checkout). */
  staticDir?: string;
  /** Fixed token (tests); default 32 random bytes. */
  token?: string;
  /** Largest request body (default {@link MAX_BODY_BYTES}). */
  maxBodyBytes?: number;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: what to open in a browser. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** dist/renderer, from the compiled file (dist/main/transport) or from the source (main/transport). */
export function defaultStaticDir(): string {
  const here = import.meta.dirname;
  const compiled = resolve(here, '../../renderer');
  if (existsSync(join(compiled, 'index.html')) || here.split(sep).includes('dist')) return compiled;
  return resolve(here, '../../dist/renderer');
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session cookie that carries the token after the first page load (the page then removes
 * the token from its URL). Named per port: cookies are per host, not per port.
 */
export function tokenCookieName(port: number): string {
  return `hclab_token_${port}`;
}

function cookieToken(req: IncomingMessage, port: number): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  const name = tokenCookieName(port);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The token of a request: Bearer header (scripts), the session cookie (the page), or ?token=. */
function tokenOf(req: IncomingMessage, url: URL, port: number): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  return cookieToken(req, port) ?? url.searchParams.get('token');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = toWireJson(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiError): void {
  const reply: CallReply = { error: err.toJSON() };
  sendJson(res, httpStatusOf(err.code), reply);
}

function sendText(res: ServerResponse, status: number, text: string, headers = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * The refusal of a call without this server's token. A token that is not ours almost always
 * comes from a page opened on an earlier `hclab serve` (each start makes a new token).
 */
export function unauthorized(given: string | null): ApiError {
  if (given === null || given === '')
    return new ApiError(
      'UNAUTHORIZED',
      'this page was opened without its access token: open the URL `hclab serve` printed (it ends in ?token=…)',
    );
  return new ApiError(
    'UNAUTHORIZED',
    'this page belongs to an earlier HCLab server (its access token is not this server’s): open the new URL `hclab serve` printed',
  );
}

class BodyTooLarge extends Error {}

/** Reads the body; past `limit` bytes it rejects and drains the rest (so the reply is read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (part: Buffer) => {
      if (tooLarge) return;
      size += part.length;
      if (size > limit) {
        tooLarge = true;
        parts.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      parts.push(part);
    });
    req.on('end', () => resolveBody(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { service } = options;
  const token = options.token ?? randomBytes(32).toString('hex');
  const root = (() => {
    const dir = resolve(options.staticDir ?? defaultStaticDir());
    try {
      return realpathSync(dir);
    } catch {
      return dir;
    }
  })();
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let port = 0;

  const allowedHosts = (): Set<string> => new Set([`${HOST}:${port}`, `localhost:${port}`]);

  async function serveStatic(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    head: boolean,
  ): Promise<void> {
    const found = await readStaticFile(root, url.pathname);
    if (found === null) {
      const hint =
        url.pathname === '/'
          ? `The web UI is not built (no ${join(root, 'index.html')}): run npm run build\n`
          : 'not found\n';
      sendText(res, 404, hint);
      return;
    }
    const sent = await representationOf(
      found.file,
      found.body,
      found.mtimeMs,
      found.contentType,
      req.headers['accept-encoding'],
    );
    const caching = {
      'Cache-Control': cacheControlOf(relative(root, found.file).split(sep).join('/')),
      ETag: sent.etag,
      Vary: 'Accept-Encoding',
    };
    if (notModified(req.headers['if-none-match'], sent.etag)) {
      res.writeHead(304, { ...SECURITY_HEADERS, ...caching });
      res.end();
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': found.contentType,
      'Content-Length': sent.body.length,
      ...(sent.encoding === 'identity' ? {} : { 'Content-Encoding': sent.encoding }),
      ...caching,
    });
    res.end(head ? undefined : sent.body);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (!allowedHosts().has(req.headers.host ?? '')) {
      sendText(res, 421, 'wrong Host header\n');
      return;
    }
    if (url.pathname === '/api/call') {
      const given = tokenOf(req, url, port);
      if (!sameToken(given, token)) {
        req.resume();
        sendError(res, unauthorized(given));
        return;
      }
      if (req.method !== 'POST') {
        req.resume();
        sendText(res, 405, 'use POST\n', { Allow: 'POST' });
        return;
      }
      let request: unknown;
      try {
        request = JSON.parse((await readBody(req, maxBody)).toString('utf8'));
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          const reply: CallReply = {
            error: { code: 'BAD_INPUT', message: `request body larger than ${maxBody} bytes` },
          };
          sendJson(res, 413, reply);
        } else {
          sendError(res, new ApiError('BAD_INPUT', 'request body: expected JSON {method, params}'));
        }
        return;
      }
      const reply = await dispatch(service, request);
      sendJson(res, 'error' in reply ? httpStatusOf(reply.error.code) : 200, reply);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      req.resume();
      sendText(res, 404, 'not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      sendText(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    // The page was opened with its token: hand it over as an HttpOnly, SameSite=Strict cookie,
    // so the page can drop the token from its URL (history, screen shares) and keep working.
    if (sameToken(url.searchParams.get('token'), token))
      res.setHeader(
        'Set-Cookie',
        `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      );
    await serveStatic(req, res, url, req.method === 'HEAD');
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, new ApiError('INTERNAL', String(err)));
      else res.destroy();
    });
  });
  server.requestTimeout = 0; // runs and inspections of big traces may take long
  server.headersTimeout = 60_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();

  function refuseUpgrade(socket: Duplex, status: string): void {
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== '/api/events') return refuseUpgrade(socket, '404 Not Found');
    if (!allowedHosts().has(req.headers.host ?? ''))
      return refuseUpgrade(socket, '421 Misdirected Request');
    if (!sameToken(tokenOf(req, url, port), token))
      return refuseUpgrade(socket, '401 Unauthorized');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
      return refuseUpgrade(socket, '403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      // The socket only pushes; messages from the page are ignored.
    });
  });

  const unsubscribe = service.onEvent((e) => {
    const text = toWireJson(e);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        unsubscribe();
        for (const ws of sockets) ws.terminate();
        sockets.clear();
        wss.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
