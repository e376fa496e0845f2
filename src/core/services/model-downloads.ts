// Model downloads the user started from the Models page ('models:download'): each runs in
// the background of the serving process (network-bound, so no worker) and the page polls
// 'models:downloadStatus' for its progress, as it does for analysis jobs.

import { randomUUID } from 'node:crypto';
import type { ModelDownloadStatus } from '../../shared/model-catalog';
import { SentiscopeError, serializeError } from '../../shared/errors';
import { downloadModelFolder, type ModelRoots } from '../models';

/** Finished downloads kept for the status channel; older ones are dropped. */
const KEEP_FINISHED = 20;

export class ModelDownloads {
  private readonly jobs = new Map<string, { status: ModelDownloadStatus; abort: AbortController }>();

  constructor(private readonly roots: () => ModelRoots) {}

  start(request: { indexUrl: string; id: string }): ModelDownloadStatus {
    const busy = [...this.jobs.values()].find((j) => j.status.state === 'running' && j.status.id === request.id);
    if (busy) throw new SentiscopeError('bad-request', `"${request.id}" is already downloading (job ${busy.status.jobId}).`);
    const jobId = randomUUID();
    const status: ModelDownloadStatus = {
      jobId,
      id: request.id,
      indexUrl: request.indexUrl,
      state: 'running',
      progress: { file: null, bytes: 0, total: 0, percent: 0 },
      installedAt: null,
      error: null,
    };
    const abort = new AbortController();
    this.jobs.set(jobId, { status, abort });
    // A pack, or a Whisper / encoder folder: whatever the index lists under the id.
    downloadModelFolder(request, this.roots(), { signal: abort.signal, onProgress: (p) => (status.progress = p) })
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
