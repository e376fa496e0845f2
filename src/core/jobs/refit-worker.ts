// Entry of the worker thread that runs one refit (refit-worker-host.ts starts it): feature
// extraction and fitting take seconds to a minute of CPU, so they stay off the thread that
// serves the page. It is given the labels as data, so it opens no project (and no SQLite).
// A cancel aborts at the next row or stage; nothing is installed.

import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../shared/errors';
import { refitFromLabels } from '../models/refit-pack';
import type { FromRefitWorker, ToRefitWorker } from './refit-messages';

if (!parentPort) throw new Error('refit-worker.ts runs inside a worker thread: start it with startRefitWorker()');
const port = parentPort;
const post = (message: FromRefitWorker) => port.postMessage(message);
const controller = new AbortController();

port.on('message', (message: ToRefitWorker) => {
  if (message.type === 'cancel') {
    controller.abort(new Error('cancelled'));
    return;
  }
  const { set, request, roots, threads, cacheDir } = message.task;
  refitFromLabels(set, {
    id: request.id,
    model: request.from,
    folds: request.folds,
    seed: request.seed,
    force: request.force,
    threads,
    roots,
    cacheDir,
    command: `Refit on my labels (${set.file})`,
    signal: controller.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  }).then(
    (report) => post({ type: 'done', report }),
    (err) => post(controller.signal.aborted ? { type: 'cancelled' } : { type: 'failed', error: serializeError(err) }),
  );
});
