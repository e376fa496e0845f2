// Runs one refit in a worker thread of its own (refit-worker.ts) and reports its progress.
// Cancelling posts 'cancel' (the refit stops at its next row or fold), and terminates the
// worker should it not end within a grace period (a fold's fitting is synchronous).

import { Worker } from 'node:worker_threads';
import { SentiscopeError, deserializeError } from '../../shared/errors';
import type { RefitProgress, RefitReport } from '../models/refit-pack';
import type { FromRefitWorker, RefitWorkerTask, ToRefitWorker } from './refit-messages';

/** Starts the refit worker thread. */
export type RefitWorkerSpawner = () => Worker;

/** From source (CLI, browser mode, tests): TypeScript through analysis-worker-boot.mjs, which registers tsx. */
export const sourceRefitWorker: RefitWorkerSpawner = () =>
  new Worker(new URL('./analysis-worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./refit-worker.ts', import.meta.url).href },
  });

/** From a build (out/main/refit-worker.js, see electron.vite.config.ts): the bundled entry itself. */
export function builtRefitWorker(entry: URL): RefitWorkerSpawner {
  return () => new Worker(entry);
}

const CANCEL_GRACE_MS = 3000;

export class RefitCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export function runRefitInWorker(
  spawn: RefitWorkerSpawner,
  task: RefitWorkerTask,
  options: { onProgress?: (progress: RefitProgress) => void; signal?: AbortSignal } = {},
): Promise<RefitReport> {
  const worker = spawn();
  return new Promise<RefitReport>((resolve, reject) => {
    let settled = false;
    let grace: NodeJS.Timeout | null = null;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (grace) clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToRefitWorker);
      grace = setTimeout(() => settle(() => reject(new RefitCancelled())), CANCEL_GRACE_MS);
    };
    worker.on('message', (message: FromRefitWorker) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.report));
      else if (message.type === 'cancelled') settle(() => reject(new RefitCancelled()));
      else settle(() => reject(deserializeError(message.error)));
    });
    worker.on('error', (err) => settle(() => reject(new SentiscopeError('internal', `The refit worker failed: ${err.message}`, null))));
    worker.on('exit', (code) =>
      settle(() =>
        options.signal?.aborted
          ? reject(new RefitCancelled())
          : reject(new SentiscopeError('internal', `The refit worker exited (code ${code}) before it finished.`, null)),
      ),
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort);
    worker.postMessage({ type: 'run', task } satisfies ToRefitWorker);
  });
}
