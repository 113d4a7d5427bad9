/**
 * The wire form every transport carries: a request `{ method, params }` and a reply that is
 * either `{ result }` or `{ error: { code, message } }`. Browser-safe (no Node imports): used by
 * the web client, the Electron preload/client and the servers alike.
 */
import { ApiError, isApiErrorPayload, type ApiErrorCode } from './errors.js';
import { CONTRACT, EVENTS, type ApiEvent, type MethodName, type Result } from './contract.js';

export interface CallRequest {
  method: string;
  params?: unknown;
}

export type CallReply = { result: unknown } | { error: { code: ApiErrorCode; message: string } };

/** The bridge the Electron preload exposes as `window.hclab`: one function per contract method
 * (each resolves to a {@link CallReply}; it never rejects for an API error) plus `onEvent`. */
export type HclabBridge = { [M in MethodName]: (params: unknown) => Promise<CallReply> } & {
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /** Desktop app only: a save dialog for an export (see ./save-file.ts); rejects on failure. */
  saveFile?(request: unknown): Promise<unknown>;
};

/**
 * JSON text of a request, reply or event as the JSON transports send it. JSON has no infinities
 * (JSON.stringify would send null): ±Infinity is sent as 'inf' / '-inf', the words the contract
 * reads back where a value may be infinite (a VM's tolerance α = ∞).
 */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v === Number.POSITIVE_INFINITY ? 'inf' : v === Number.NEGATIVE_INFINITY ? '-inf' : v,
  );
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Whether `method` names a contract method (own keys only: no `toString`, `__proto__`…). */
export function isMethodName(method: unknown): method is MethodName {
  return typeof method === 'string' && hasOwn(CONTRACT, method);
}

/**
 * Turns a reply into the method's result (validated with the contract's result schema) or throws
 * the {@link ApiError} it carries. A reply that is neither is an INTERNAL error.
 */
export function unwrapReply<M extends MethodName>(method: M, reply: unknown): Result<M> {
  if (typeof reply === 'object' && reply !== null) {
    if (hasOwn(reply, 'error')) {
      const error = (reply as { error: unknown }).error;
      if (isApiErrorPayload(error)) throw new ApiError(error.code, error.message);
    } else if (hasOwn(reply, 'result')) {
      const parsed = CONTRACT[method].result.safeParse((reply as { result: unknown }).result);
      if (parsed.success) return parsed.data as Result<M>;
      throw new ApiError(
        'INTERNAL',
        `${method}: the reply does not match the contract (${parsed.error.issues
          .map((i) => `${i.path.join('.') || 'result'}: ${i.message}`)
          .join('; ')})`,
      );
    }
  }
  throw new ApiError('INTERNAL', `${method}: malformed reply from the server`);
}

/** An event as received from a transport, validated; null when it is not a known event. */
export function parseEvent(raw: unknown): ApiEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { event, payload } = raw as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string' || !hasOwn(EVENTS, event)) return null;
  const parsed = EVENTS[event as keyof typeof EVENTS].safeParse(payload);
  if (!parsed.success) return null;
  return { event, payload: parsed.data } as ApiEvent;
}

/** HTTP status used by the web transport for an error code. */
export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'NO_PROJECT':
    case 'LOCKED':
    case 'READ_ONLY':
    case 'CORRUPT':
    case 'NEWER_VERSION':
    case 'CANCELLED':
    case 'CONFLICT':
      return 409;
    default:
      return 500;
  }
}
