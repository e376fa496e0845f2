// The contract over Electron IPC. [Note: one contract, three shells]
// One ipcMain.handle per channel in CHANNELS and no other: the allow-list is the contract.
// Replies are envelopes, { result } or { error }, because an Error thrown in a handler
// reaches the renderer stripped of its code and file.

import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, validateRequest, type ContractHandlers } from '../shared/contract';
import { SentiscopeError, serializeError } from '../shared/errors';
import type { IpcEnvelope } from '../preload/bridge-api';

export function registerContractIpc(handlers: ContractHandlers, isAppUrl: (url: string) => boolean): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<IpcEnvelope> => {
      try {
        // Only the app's own page may call; a frame that navigated elsewhere may not.
        const senderUrl = event.senderFrame?.url;
        if (!senderUrl || !isAppUrl(senderUrl)) {
          throw new SentiscopeError('bad-request', `refused ${channel}: the call did not come from the Sentiscope window`);
        }
        const request = validateRequest(channel, input);
        const call = handlers[channel] as (request: unknown) => unknown;
        return { result: await call(request) };
      } catch (err) {
        return { error: serializeError(err) };
      }
    });
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
