// Runs a job's visual passes in a worker thread of their own (visual-worker.ts): one worker
// per job, started on the first stretch with video and reused for every stretch. A pass
// that fails in the worker, or a worker that dies, makes the visual modality absent with
// the reason; it never fails the job. Cancelling a pass aborts it in the worker (its
// ffmpeg is killed); close() stops the worker, waiting briefly for it to end its ffmpeg.

import { Worker } from 'node:worker_threads';
import type { VisualPassFactory, VisualPassRequest, VisualPassResult, VisualPassRunner } from '../analysis/pipeline/visual-pass';
import type { FromVisualWorker, ToVisualWorker, VisualWorkerData } from './visual-messages';

/** Starts a visual worker thread with the given workerData. */
export type VisualWorkerSpawner = (data: VisualWorkerData) => Worker;

/** From source (CLI, tests): TypeScript through analysis-worker-boot.mjs, which registers tsx. */
export const sourceVisualWorker: VisualWorkerSpawner = (data) =>
  new Worker(new URL('./analysis-worker-boot.mjs', import.meta.url), {
    workerData: { ...data, entry: new URL('./visual-worker.ts', import.meta.url).href },
  });

/** From a build (out/main/visual-worker.js, see electron.vite.config.ts): the bundled entry itself. */
export function builtVisualWorker(entry: URL): VisualWorkerSpawner {
  return (data) => new Worker(entry, { workerData: data });
}

const STOP_GRACE_MS = 2000;

interface Pending {
  segments: number;
  resolve: (value: { result: VisualPassResult; seconds: number }) => void;
  reject: (err: unknown) => void;
}

export function visualWorkerPass(spawn: VisualWorkerSpawner): VisualPassFactory {
  return (data) => new VisualWorkerRunner(spawn, data);
}

class VisualWorkerRunner implements VisualPassRunner {
  private worker: Worker | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Why the worker is gone for good (crash, failed start); later passes are absent with it. */
  private dead: string | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly spawn: VisualWorkerSpawner,
    private readonly data: VisualWorkerData,
  ) {}

  run(request: VisualPassRequest, signal?: AbortSignal): Promise<{ result: VisualPassResult; seconds: number }> {
    signal?.throwIfAborted();
    const absent = (reason: string) => ({ result: request.segments.map(() => reason), seconds: 0 });
    const worker = this.dead ? null : this.start();
    if (!worker) return Promise.resolve(absent(`visual worker stopped: ${this.dead}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        worker.postMessage({ type: 'cancel', id } satisfies ToVisualWorker);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settled =
        <T>(f: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          f(value);
        };
      this.pending.set(id, { segments: request.segments.length, resolve: settled(resolve), reject: settled(reject) });
      worker.postMessage({ type: 'pass', id, request } satisfies ToVisualWorker);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.dead ??= 'the job ended';
    if (!worker) return;
    worker.postMessage({ type: 'stop' } satisfies ToVisualWorker);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
    await Promise.race([this.exited, grace]);
    clearTimeout(timer);
    await worker.terminate().catch(() => {});
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = this.spawn(this.data);
    } catch (err) {
      this.dead = `could not start it (${err instanceof Error ? err.message : String(err)})`;
      return null;
    }
    this.worker = worker;
    worker.on('message', (message: FromVisualWorker) => {
      const pending = this.pending.get(message.id);
      if (!pending) return; // cancelled meanwhile
      this.pending.delete(message.id);
      if (message.type === 'result') pending.resolve({ result: message.result, seconds: message.seconds });
      else
        pending.resolve({
          result: Array.from({ length: pending.segments }, () => `visual pass failed: ${message.error.message}`),
          seconds: 0,
        });
    });
    this.exited = new Promise((resolve) => {
      const end = (reason: string) => {
        if (this.worker === worker) {
          this.worker = null;
          this.dead ??= reason;
        }
        // Passes still waiting get the reason instead of a result.
        for (const [id, pending] of this.pending) {
          this.pending.delete(id);
          pending.resolve({ result: Array.from({ length: pending.segments }, () => `visual worker stopped: ${reason}`), seconds: 0 });
        }
        resolve();
      };
      worker.on('error', (err) => end(`it failed (${err.message})`));
      worker.on('exit', (code) => end(`it exited (code ${code})`));
    });
    return worker;
  }
}
