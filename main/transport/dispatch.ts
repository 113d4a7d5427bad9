/** Server side of every transport: a raw request in, a {@link CallReply} out (never throws). */
import type { CallReply } from '../../shared/api/envelope.js';
import { toApiError, type ApiService } from '../service/api/api-service.js';
import { ApiError } from '../../shared/api/errors.js';

export async function dispatch(service: ApiService, request: unknown): Promise<CallReply> {
  try {
    if (typeof request !== 'object' || request === null || Array.isArray(request))
      throw new ApiError('BAD_INPUT', 'expected a request {method, params}');
    const { method, params } = request as { method?: unknown; params?: unknown };
    if (typeof method !== 'string') throw new ApiError('BAD_INPUT', 'method: expected a string');
    return { result: await service.handle(method, params) };
  } catch (err) {
    return { error: toApiError(err).toJSON() };
  }
}
