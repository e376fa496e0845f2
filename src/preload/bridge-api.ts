// What the preload puts on `window.sentiscope`, typed once for the preload and the renderer.
// [Note: one contract, three shells]

import type { SerializedError } from '../shared/errors';

/** A contract reply across IPC: errors travel as data so their code and file survive. */
export type IpcEnvelope = { result: unknown; error?: undefined } | { error: SerializedError; result?: undefined };

export interface SentiscopeBridge {
  readonly shell: 'electron';
  /** Calls a contract channel; any other name is refused without reaching the main process. */
  invoke(channel: string, request: unknown): Promise<IpcEnvelope>;
}
