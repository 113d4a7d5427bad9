/**
 * The web transport's client (browser-safe: fetch and WebSocket only, no Node imports): calls go
 * to `POST /api/call` with the token, events come over a WebSocket on `/api/events` that
 * reconnects when it drops. Results are validated against the contract here too; errors are
 * rethrown as {@link ApiError}.
 */
import type { ApiClient, ApiEvent, ConnectionStatus } from './contract.js';
import { parseEvent, toWireJson, unwrapReply } from './envelope.js';
import { ApiError } from './errors.js';

export interface WebClientOptions {
  /** Delay before the first reconnect of the events socket (doubles up to maxReconnectMs). */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export function createWebClient(
  baseUrl: string,
  token: string,
  WebSocketImpl: typeof WebSocket = globalThis.WebSocket,
  options: WebClientOptions = {},
): ApiClient & { close(): void } {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const firstDelay = options.reconnectMs ?? 500;
  const maxDelay = options.maxReconnectMs ?? 10_000;
  const listeners = new Set<(e: ApiEvent) => void>();
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let delay = firstDelay;
  const connectionListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'connecting', attempt: 0, reconnected: false };
  let everOffline = false;
  /** Whether this server ever accepted us (the events socket opened). */
  let everAccepted = false;

  function setStatus(next: ConnectionStatus): void {
    if (
      next.state === status.state &&
      next.attempt === status.attempt &&
      next.reconnected === status.reconnected
    )
      return;
    status = next;
    for (const l of [...connectionListeners]) l(status);
  }

  function online(): void {
    everAccepted = true;
    setStatus({ state: 'online', attempt: 0, reconnected: everOffline });
    everOffline = false;
  }

  function offline(): void {
    everOffline = true;
    setStatus({
      state: 'offline',
      attempt: status.state === 'offline' ? status.attempt : 0,
      reconnected: false,
    });
  }

  /**
   * The token was refused by a server that answers: missing, or from an earlier server. A page
   * that authenticates by its session cookie (token '') and was accepted before holds an
   * earlier server's cookie; one never accepted was opened without its token.
   */
  function refused(): void {
    const stale = token !== '' || everAccepted;
    setStatus({ state: stale ? 'stale-token' : 'no-token', attempt: 0, reconnected: false });
  }

  /** After the events socket failed: is the server gone, or does it refuse our token? */
  async function probe(): Promise<'up' | 'down' | 'refused'> {
    try {
      const r = await doFetch(`${base}/api/call`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'project.current', params: {} }),
      });
      return r.status === 401 ? 'refused' : 'up';
    } catch {
      return 'down';
    }
  }

  function eventsUrl(): string {
    const url = new URL(`${base}/api/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token !== '') url.searchParams.set('token', token);
    return url.toString();
  }

  function connect(): void {
    if (socket !== null || listeners.size === 0) return;
    const ws = new WebSocketImpl(eventsUrl());
    socket = ws;
    ws.onopen = () => {
      delay = firstDelay;
      online();
    };
    ws.onmessage = (msg: MessageEvent) => {
      if (typeof msg.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(msg.data);
      } catch {
        return;
      }
      const e = parseEvent(raw);
      if (e === null) return;
      for (const listener of [...listeners]) listener(e);
    };
    ws.onerror = () => {
      // onclose follows and reconnects.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (listeners.size === 0) return;
      void probe().then((found) => {
        if (listeners.size === 0 || socket !== null) return;
        if (found === 'refused') {
          refused(); // a new page (the URL with the new token) is needed: stop retrying
          return;
        }
        if (found === 'down') offline();
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (status.state === 'offline') setStatus({ ...status, attempt: status.attempt + 1 });
          connect();
        }, delay);
        delay = Math.min(maxDelay, delay * 2);
      });
    };
  }

  function disconnect(): void {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    ws?.close();
  }

  return {
    async call(method, params) {
      let response: Response;
      try {
        response = await doFetch(`${base}/api/call`, {
          method: 'POST',
          // No token: the page's session cookie authenticates (same origin).
          headers:
            token === ''
              ? { 'Content-Type': 'application/json' }
              : { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: toWireJson({ method, params }),
        });
      } catch (err) {
        if (listeners.size > 0) offline();
        throw new ApiError('INTERNAL', `cannot reach the HCLab server: ${String(err)}`);
      }
      if (response.status === 401) refused();
      let reply: unknown;
      try {
        reply = await response.json();
      } catch {
        throw new ApiError(
          response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL',
          `${method}: HTTP ${response.status} ${response.statusText}`,
        );
      }
      return unwrapReply(method, reply);
    },
    onEvent(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(status);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    close() {
      listeners.clear();
      connectionListeners.clear();
      disconnect();
    },
  };
}
