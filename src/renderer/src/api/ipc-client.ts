// The contract through the Electron preload bridge (window.sentiscope).

import type { ContractClient } from '../../../shared/contract';
import { deserializeError } from '../../../shared/errors';
import type { SentiscopeBridge } from '../../../preload/bridge-api';

export function createIpcClient(bridge: SentiscopeBridge): ContractClient {
  return {
    async invoke(channel, request) {
      const reply = await bridge.invoke(channel, request);
      if (reply.error) throw deserializeError(reply.error);
      return reply.result as never;
    },
    mediaUrl: (mediaId) => `media://media/${mediaId}`,
  };
}
