// The contract's analysis channels over one AnalysisQueue: jobs run off the serving
// thread (a worker thread in browser mode, a utilityProcess in the desktop app) and
// write into the project file the session has open.

import type { AnalysisAsrSpec, AnalysisJobStatus, SegmentationMode } from '../../shared/analysis-job';
import { SentiscopeError } from '../../shared/errors';
import { AnalysisQueue, type JobHostFactory } from '../jobs';
import type { ProjectSession } from './project-session';

export class AnalysisJobs {
  private queue: AnalysisQueue | null = null;

  constructor(
    private readonly session: ProjectSession,
    private readonly startHost?: JobHostFactory,
  ) {}

  /** `model` and `asr.model` are folders (or a shipped pack's id) by now: the handlers resolve the page's ids. */
  start(request: { mediaId: number; model?: string; segmentation?: SegmentationMode; asr?: AnalysisAsrSpec }): AnalysisJobStatus {
    const store = this.session.require();
    const media = store.getMedia(request.mediaId);
    if (!media.path) {
      throw new SentiscopeError(
        'not-found',
        `Media '${media.name}' has labels but no file yet: add its video or audio file to the project, then analyze it.`,
      );
    }
    this.queue ??= new AnalysisQueue({ startHost: this.startHost });
    return this.queue.enqueue({
      projectPath: store.path,
      mediaId: media.id,
      model: request.model,
      segmentation: request.segmentation,
      asr: request.asr,
    });
  }

  status(jobId?: string): AnalysisJobStatus[] {
    if (!this.queue) {
      if (jobId !== undefined) throw new SentiscopeError('not-found', `No analysis job ${jobId}: none has been started.`);
      return [];
    }
    return this.queue.status(jobId);
  }

  cancel(jobId: string): AnalysisJobStatus {
    if (!this.queue) throw new SentiscopeError('not-found', `No analysis job ${jobId}: none has been started.`);
    return this.queue.cancel(jobId);
  }

  async close(): Promise<void> {
    await this.queue?.close();
    this.queue = null;
  }
}
