// The renderer's one way to the core: the same ContractClient whether the page runs in
// the Electron window or in a browser. [Note: one contract, three shells]

import type { ContractClient } from '../../../shared/contract';
import type { SentiscopeBridge } from '../../../preload/bridge-api';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';

export type ShellKind = 'electron' | 'browser';

function electronBridge(): SentiscopeBridge | null {
  const bridge = (globalThis as { sentiscope?: SentiscopeBridge }).sentiscope;
  return bridge && bridge.shell === 'electron' && typeof bridge.invoke === 'function' ? bridge : null;
}

export function detectShell(): ShellKind {
  return electronBridge() ? 'electron' : 'browser';
}

export function createContractClient(): ContractClient {
  const bridge = electronBridge();
  return bridge ? createIpcClient(bridge) : createHttpClient();
}

let shared: ContractClient | null = null;

/** The page's client, made once: call it from components and Pinia stores alike. */
export function useContractClient(): ContractClient {
  shared ??= createContractClient();
  return shared;
}
