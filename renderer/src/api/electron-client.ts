/**
 * The Electron transport's client: wraps `window.hclab` (exposed by the preload) into an
 * ApiClient. Replies are validated against the contract and errors rethrown as ApiError, exactly
 * like the web client.
 */
import type { ApiClient, ApiEvent } from '../../../shared/api/contract.js';
import { parseEvent, unwrapReply, type HclabBridge } from '../../../shared/api/envelope.js';
import { ApiError } from '../../../shared/api/errors.js';

/** `window.hclab` when the preload exposed it (read through globalThis: also runs under Node). */
export function electronBridge(): HclabBridge | undefined {
  return (globalThis as { hclab?: HclabBridge }).hclab;
}

export function createElectronClient(
  bridge: HclabBridge | undefined = electronBridge(),
): ApiClient {
  if (bridge === undefined) throw new Error('window.hclab is missing (not in the desktop app)');
  return {
    async call(method, params) {
      const fn = bridge[method];
      if (typeof fn !== 'function') throw new ApiError('BAD_INPUT', `unknown method ${method}`);
      return unwrapReply(method, await fn(params));
    },
    onEvent(listener: (e: ApiEvent) => void) {
      return bridge.onEvent((raw) => {
        const e = parseEvent(raw);
        if (e !== null) listener(e);
      });
    },
  };
}
