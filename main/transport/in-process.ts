/**
 * The in-process transport: an ApiClient calling an ApiService in the same process. Params and
 * results still go through JSON (as over HTTP or IPC), so it behaves like the other transports.
 */
import type { ApiClient, ApiEvent } from '../../shared/api/contract.js';
import { parseEvent, toWireJson, unwrapReply } from '../../shared/api/envelope.js';
import type { ApiService } from '../service/api/api-service.js';
import { dispatch } from './dispatch.js';

function viaJson(value: unknown): unknown {
  const text = toWireJson(value);
  return text === undefined ? undefined : JSON.parse(text);
}

export function createInProcessClient(service: ApiService): ApiClient {
  return {
    async call(method, params) {
      const reply = await dispatch(service, viaJson({ method, params }));
      return unwrapReply(method, viaJson(reply));
    },
    onEvent(listener: (e: ApiEvent) => void) {
      return service.onEvent((e) => {
        const parsed = parseEvent(viaJson(e));
        if (parsed !== null) listener(parsed);
      });
    },
  };
}
