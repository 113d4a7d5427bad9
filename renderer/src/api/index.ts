/** The client the stores use, set once at start-up (see main.ts). */
import type { ApiClient } from '../../../shared/api/contract.js';

let current: ApiClient | null = null;

export function setApi(client: ApiClient): void {
  current = client;
}

export function api(): ApiClient {
  if (current === null) throw new Error('the API client is not ready');
  return current;
}
