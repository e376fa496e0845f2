// The job side of the protocol: runs one job at a time as the queue sends them, with an
// AbortController per job so 'cancel' stops it (ffmpeg is killed, the current segment's
// prediction is not written). Shared by the worker thread and the utilityProcess entries.

import { serializeError } from '../../shared/errors';
import { runAnalysisJob, type VisualPassFactory } from '../analysis/pipeline';
import type { FromJobHost, ToJobHost } from './job-messages';

export interface JobPort {
  post(message: FromJobHost): void;
  onMessage(listener: (message: ToJobHost) => void): void;
}

export interface ServeJobsOptions {
  /** Where each job runs its visual passes (default: the job's own thread). */
  visualPass?: VisualPassFactory;
}

export function serveJobs(port: JobPort, options: ServeJobsOptions = {}): void {
  const running = new Map<string, AbortController>();
  let chain: Promise<void> = Promise.resolve();
  port.onMessage((message) => {
    if (message.type === 'cancel') {
      running.get(message.jobId)?.abort(new Error('cancelled'));
      return;
    }
    const controller = new AbortController();
    running.set(message.jobId, controller);
    const { jobId, spec } = message;
    chain = chain.then(async () => {
      try {
        const summary = await runAnalysisJob(spec, {
          jobId,
          signal: controller.signal,
          onProgress: (event) => port.post({ type: 'progress', event }),
          onNote: (line) => port.post({ type: 'note', jobId, line }),
          onStart: (info) => port.post({ type: 'started', jobId, ...info }),
          visualPass: options.visualPass,
        });
        port.post({ type: 'done', jobId, summary, maxRssMb: process.resourceUsage().maxRSS / 1024 });
      } catch (err) {
        if (controller.signal.aborted) port.post({ type: 'cancelled', jobId });
        else port.post({ type: 'failed', jobId, error: serializeError(err) });
      } finally {
        running.delete(jobId);
      }
    });
  });
  port.post({ type: 'ready' });
}
