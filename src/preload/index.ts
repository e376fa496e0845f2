// The only door from the sandboxed page to the main process: `window.sentiscope.invoke`
// for the channels of the contract, nothing else (no raw ipcRenderer).
// [Note: one contract, three shells]

import { contextBridge, ipcRenderer } from 'electron';
import { isChannel } from '../shared/contract';
import type { IpcEnvelope, SentiscopeBridge } from './bridge-api';

const bridge: SentiscopeBridge = {
  shell: 'electron',
  invoke(channel: string, request: unknown): Promise<IpcEnvelope> {
    if (typeof channel !== 'string' || !isChannel(channel)) {
      return Promise.resolve({
        error: { code: 'bad-request', message: `no such channel "${String(channel)}" in the contract`, file: null },
      });
    }
    return ipcRenderer.invoke(channel, request) as Promise<IpcEnvelope>;
  },
};

contextBridge.exposeInMainWorld('sentiscope', bridge);
