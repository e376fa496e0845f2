// Model downloads the user started from the Models page ('models:download' by a model index,
// 'models:get' for a catalog model from the Hub): each runs in the background of the serving
// process (network-bound, so no worker) and the page polls 'models:downloadStatus' for its
// progress, as it does for analysis jobs; 'models:downloadCancel' aborts its signal.

import { randomUUID } from 'node:crypto';
import type { ModelDownloadStatus } from '../../shared/model-catalog';
import { SentiscopeError, serializeError } from '../../shared/errors';
import {
  catalogEntry,
  downloadModelFolder,
  getCatalogModel,
  hubEndpoint,
  type AddedModel,
  type DownloadOptions,
  type ModelRoots,
} from '../models';

/** Finished downloads kept for the status channel; older ones are dropped. */
const KEEP_FINISHED = 20;

export class ModelDownloads {
  private readonly jobs = new Map<string, { status: ModelDownloadStatus; abort: AbortController }>();

  /**
   * @param hub the Hub endpoint for catalog models; undefined: HF_ENDPOINT, else huggingface.co (read per get).
   */
  constructor(
    private readonly roots: () => ModelRoots,
    private readonly hub: () => string | undefined = () => undefined,
  ) {}

  /** A pack, or a Whisper / encoder folder: whatever the model index lists under the id. */
  start(request: { indexUrl: string; id: string }): ModelDownloadStatus {
    return this.run(request.id, 'index', request.indexUrl, (options) => downloadModelFolder(request, this.roots(), options));
  }

  /** A catalog model from the Hub at its pinned revision (a part left by a cancel is resumed by the next get). */
  get(request: { id: string }): ModelDownloadStatus {
    // An unknown id or a bad Hub address is refused at once, not as a failed job.
    catalogEntry(request.id);
    const hub = hubEndpoint(this.hub());
    return this.run(request.id, 'catalog', hub, (options) => getCatalogModel({ id: request.id, hub }, this.roots(), options));
  }

  private run(
    id: string,
    source: ModelDownloadStatus['source'],
    from: string,
    task: (options: DownloadOptions) => Promise<AddedModel>,
  ): ModelDownloadStatus {
    const busy = [...this.jobs.values()].find((j) => j.status.state === 'running' && j.status.id === id);
    if (busy) throw new SentiscopeError('bad-request', `"${id}" is already downloading (job ${busy.status.jobId}).`);
    const jobId = randomUUID();
    const status: ModelDownloadStatus = {
      jobId,
      id,
      source,
      indexUrl: from,
      state: 'running',
      progress: { file: null, bytes: 0, total: 0, percent: 0 },
      installedAt: null,
      error: null,
    };
    const abort = new AbortController();
    this.jobs.set(jobId, { status, abort });
    task({ signal: abort.signal, onProgress: (p) => (status.progress = p) })
      .then(
        (added) => {
          status.state = 'done';
          status.installedAt = added.dir;
        },
        (err: unknown) => {
          status.state = abort.signal.aborted ? 'cancelled' : 'failed';
          status.error = serializeError(err);
        },
      )
      .finally(() => this.prune());
    return { ...status };
  }

  status(jobId?: string): ModelDownloadStatus[] {
    if (jobId === undefined) return [...this.jobs.values()].map((j) => ({ ...j.status }));
    const job = this.jobs.get(jobId);
    if (!job) throw new SentiscopeError('not-found', `No model download ${jobId}.`);
    return [{ ...job.status }];
  }

  cancel(jobId: string): ModelDownloadStatus {
    const job = this.jobs.get(jobId);
    if (!job) throw new SentiscopeError('not-found', `No model download ${jobId}.`);
    job.abort.abort();
    return { ...job.status };
  }

  close(): void {
    for (const job of this.jobs.values()) job.abort.abort();
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.status.jobId);
  }
}
