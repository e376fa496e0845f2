// Entry of a job's visual worker: runs the visual passes (frame sampling, face track,
// expression) of the job's stretches on their own thread, so the face nets do not share
// the job's thread with VAD, acoustic features and fusion. Started by visual-worker-host.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../shared/errors';
import { VisualAnalyzer } from '../analysis/face';
import { visualPass } from '../analysis/pipeline/visual-pass';
import type { FromVisualWorker, ToVisualWorker, VisualWorkerData } from './visual-messages';

if (!parentPort) throw new Error('visual-worker.ts runs inside a worker thread: start it with visualWorkerPass()');
const port = parentPort;
const { recipe, modelDir } = workerData as VisualWorkerData;
let analyzer: Promise<VisualAnalyzer> | null = null;
const running = new Map<number, { controller: AbortController; done: Promise<void> }>();

const post = (message: FromVisualWorker) => {
  const buffers = new Set<ArrayBuffer>();
  if (message.type === 'result') for (const r of message.result) if (typeof r !== 'string') buffers.add(r.buffer as ArrayBuffer);
  port.postMessage(message, [...buffers]);
};

async function pass(id: number, message: Extract<ToVisualWorker, { type: 'pass' }>, signal: AbortSignal): Promise<void> {
  const began = performance.now();
  try {
    analyzer ??= VisualAnalyzer.create({ recipe, modelDir });
    const result = await visualPass(await analyzer, message.request, signal);
    post({ type: 'result', id, result, seconds: (performance.now() - began) / 1000 });
  } catch (err) {
    post({ type: 'failed', id, error: serializeError(err) });
  }
}

port.on('message', (message: ToVisualWorker) => {
  switch (message.type) {
    case 'pass': {
      const controller = new AbortController();
      const done = pass(message.id, message, controller.signal).finally(() => running.delete(message.id));
      running.set(message.id, { controller, done });
      return;
    }
    case 'cancel':
      running.get(message.id)?.controller.abort(new Error('cancelled'));
      return;
    case 'stop': {
      // Aborting ends each pass's frame loop, which kills its ffmpeg; then the thread exits.
      const passes = [...running.values()];
      for (const p of passes) p.controller.abort(new Error('stopped'));
      void Promise.allSettled(passes.map((p) => p.done)).then(() => process.exit(0));
      return;
    }
  }
});
