/**
 * The Electron IPC transport's server side, free of Electron imports (so it is tested under plain
 * Node): every `hclab:call` is answered only for a sender frame showing the app's own URL.
 */
import type { CallReply } from '../../shared/api/envelope.js';
import { isAppUrl } from '../electron/channels.js';
import type { ApiService } from '../service/api/api-service.js';
import { dispatch } from './dispatch.js';

export async function handleIpcCall(
  service: ApiService,
  senderUrl: string | undefined | null,
  request: unknown,
): Promise<CallReply> {
  if (!isAppUrl(senderUrl))
    return {
      error: {
        code: 'UNAUTHORIZED',
        message: `IPC from a frame that is not the HCLab window (${String(senderUrl)})`,
      },
    };
  return dispatch(service, request);
}
