// The contract's refit channels: "Refit on my labels" of the open project, one refit at a
// time, each in a worker thread of its own (jobs/refit-worker-host.ts). The page polls the
// status (stage, fold k of n) and may cancel; the pack appears in the Models page once
// installed, and 'refit:curve' reads a refit pack's learning curve from its refit.json.

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SentiscopeError, serializeError } from '../../shared/errors';
import type { LearningCurve, RefitJobRequest, RefitJobStatus } from '../../shared/refit-job';
import { RefitCancelled, type RefitWorkerSpawner, runRefitInWorker, sourceRefitWorker } from '../jobs/refit-worker-host';
import { REFIT_HEAD_FILE, type RefitReport } from '../models/refit-pack';
import { projectLabelSet } from '../models/refit-project';
import { listRootedPacks, type ModelRoots } from '../models/user-models';
import type { ProjectSession } from './project-session';

export class RefitJobs {
  private readonly jobs = new Map<string, { status: RefitJobStatus; controller: AbortController }>();

  constructor(
    private readonly session: ProjectSession,
    private readonly roots: () => ModelRoots,
    /** Where rows' features are kept between refits (<dataDir>/cache/refit-features). */
    private readonly cacheDir: string,
    private readonly spawn: RefitWorkerSpawner = sourceRefitWorker,
  ) {}

  start(request: RefitJobRequest): RefitJobStatus {
    const store = this.session.require();
    const running = [...this.jobs.values()].find((j) => j.status.state === 'running');
    if (running) {
      throw new SentiscopeError('bad-request', `A refit (${running.status.request.id}) is running: wait for it, or cancel it first.`);
    }
    // Read here, on the serving thread's connection: bad labels are refused before anything starts.
    const set = projectLabelSet(store, store.path);
    const jobId = randomUUID();
    const status: RefitJobStatus = { jobId, request, state: 'running', stage: 'starting', done: 0, total: 0, result: null, error: null };
    const controller = new AbortController();
    this.jobs.set(jobId, { status, controller });
    runRefitInWorker(
      this.spawn,
      { set, request, roots: this.roots(), threads: 1, cacheDir: this.cacheDir },
      {
        signal: controller.signal,
        onProgress: (p) => Object.assign(status, { stage: p.stage, done: p.done, total: p.total }),
      },
    ).then(
      (report) => Object.assign(status, { state: report.installed ? 'done' : 'refused', result: resultOf(report) }),
      (err) =>
        Object.assign(status, err instanceof RefitCancelled ? { state: 'cancelled' } : { state: 'failed', error: serializeError(err) }),
    );
    return { ...status };
  }

  status(jobId?: string): RefitJobStatus[] {
    if (jobId === undefined) return [...this.jobs.values()].map((j) => ({ ...j.status }));
    return [{ ...this.require(jobId).status }];
  }

  cancel(jobId: string): RefitJobStatus {
    const job = this.require(jobId);
    if (job.status.state === 'running') job.controller.abort();
    return { ...job.status };
  }

  /** The learning curve kept in an installed refit pack's refit.json; null for a pack without one. */
  async curve(id: string): Promise<LearningCurve | null> {
    const listing = (await listRootedPacks(this.roots())).find((l) => l.id === id);
    if (!listing) throw new SentiscopeError('not-found', `No model pack "${id}" is installed.`);
    let text: string;
    try {
      text = await readFile(join(listing.dir, REFIT_HEAD_FILE), 'utf8');
    } catch {
      return null;
    }
    return (JSON.parse(text) as { learningCurve?: LearningCurve }).learningCurve ?? null;
  }

  /** Stops a running refit (the app is closing); nothing is installed. */
  close(): void {
    for (const job of this.jobs.values()) if (job.status.state === 'running') job.controller.abort();
  }

  private require(jobId: string) {
    const job = this.jobs.get(jobId);
    if (!job) throw new SentiscopeError('not-found', `No refit job ${jobId}.`);
    return job;
  }
}

function resultOf(report: RefitReport): RefitJobStatus['result'] {
  return {
    id: report.id,
    installed: report.installed,
    refused: report.refused,
    rows: report.rows,
    source: report.source,
    decision: report.crossValidation.decision,
    learningCurve: report.learningCurve,
    seconds: report.seconds,
  };
}
