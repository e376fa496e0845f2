// The analysis queue: jobs run one at a time, first in first out, in a job host off the
// caller's thread (a worker thread here; a utilityProcess in the desktop app). The queue
// keeps every job's latest status for 'analysis:status' and the CLI, and cancels a queued
// job at once or a running one through its host.

import { randomUUID } from 'node:crypto';
import type { AnalysisJobSpec, AnalysisJobStatus, JobState } from '../../shared/analysis-job';
import { SentiscopeError } from '../../shared/errors';
import type { FromJobHost } from './job-messages';
import { type JobHostFactory, type JobHostHandle, startAnalysisWorker } from './worker-host';

export interface AnalysisQueueOptions {
  /** How job hosts are started (default: a worker thread). */
  startHost?: JobHostFactory;
  /** Finished jobs kept for status (default 50; the oldest go first). */
  keepFinished?: number;
  /** An idle host is stopped after this many ms (default 60 s; 0: at once). */
  idleMs?: number;
}

const FINAL: readonly JobState[] = ['done', 'cancelled', 'failed'];
const MAX_NOTES = 50;

export class AnalysisQueue {
  private readonly jobs = new Map<string, AnalysisJobStatus>();
  private readonly waiting: string[] = [];
  private readonly waiters = new Map<string, ((status: AnalysisJobStatus) => void)[]>();
  private readonly listeners = new Set<(status: AnalysisJobStatus) => void>();
  private host: JobHostHandle | null = null;
  private running: string | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Largest resident set the job host reported (MB), for `sentiscope bench`. */
  hostMaxRssMb = 0;

  constructor(private readonly options: AnalysisQueueOptions = {}) {}

  /** Adds a job; it starts when the jobs before it have finished. */
  enqueue(spec: AnalysisJobSpec): AnalysisJobStatus {
    if (this.closed) throw new SentiscopeError('internal', 'The analysis queue is closed.');
    const jobId = randomUUID();
    const status: AnalysisJobStatus = {
      jobId,
      spec,
      state: 'queued',
      progress: {
        jobId,
        mediaId: spec.mediaId ?? null,
        media: spec.file ?? `media ${spec.mediaId}`,
        stage: 'queued',
        done: 0,
        total: 0,
        percent: 0,
        etaSeconds: null,
      },
      provider: null,
      model: null,
      notes: [],
      error: null,
      summary: null,
    };
    this.jobs.set(jobId, status);
    this.waiting.push(jobId);
    this.changed(status);
    this.next();
    return structuredClone(status);
  }

  /** One job's status, or every job's (oldest first). */
  status(jobId?: string): AnalysisJobStatus[] {
    if (jobId === undefined) return [...this.jobs.values()].map((s) => structuredClone(s));
    return [structuredClone(this.require(jobId))];
  }

  /** Cancels a queued job at once; a running job stops at its next check (within a chunk of decoding). */
  cancel(jobId: string): AnalysisJobStatus {
    const status = this.require(jobId);
    if (status.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(jobId), 1);
      this.finish(status, 'cancelled');
    } else if (status.state === 'running') {
      this.host?.send({ type: 'cancel', jobId });
    }
    return structuredClone(status);
  }

  /** Resolves with the job's final status. */
  wait(jobId: string): Promise<AnalysisJobStatus> {
    const status = this.require(jobId);
    if (FINAL.includes(status.state)) return Promise.resolve(structuredClone(status));
    return new Promise((resolve) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push(resolve);
      this.waiters.set(jobId, list);
    });
  }

  /** Called with a job's status on every change (progress, notes, end). */
  onChange(listener: (status: AnalysisJobStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get busy(): boolean {
    return this.running !== null || this.waiting.length > 0;
  }

  /** Cancels everything and stops the host. */
  async close(): Promise<void> {
    this.closed = true;
    for (const jobId of [...this.waiting]) this.cancel(jobId);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const host = this.host;
    this.host = null;
    if (this.running) this.finish(this.require(this.running), 'cancelled');
    await host?.terminate();
  }

  private require(jobId: string): AnalysisJobStatus {
    const status = this.jobs.get(jobId);
    if (!status)
      throw new SentiscopeError(
        'not-found',
        `No analysis job ${jobId}: it may have finished long ago; list the jobs with analysis:status.`,
      );
    return status;
  }

  private next(): void {
    if (this.running || this.closed) return;
    const jobId = this.waiting.shift();
    if (!jobId) {
      this.scheduleIdleStop();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const status = this.require(jobId);
    this.running = jobId;
    status.state = 'running';
    this.changed(status);
    this.ensureHost().send({ type: 'run', jobId, spec: status.spec });
  }

  private ensureHost(): JobHostHandle {
    if (this.host) return this.host;
    const host = (this.options.startHost ?? startAnalysisWorker)();
    host.onMessage((message) => this.receive(message));
    host.onExit((reason) => {
      if (this.host !== host) return;
      this.host = null;
      if (this.running) {
        const status = this.require(this.running);
        status.error = {
          code: 'internal',
          message: `${reason}; the segments predicted so far are saved: analyze again to finish.`,
          file: null,
        };
        this.finish(status, 'failed');
      }
    });
    this.host = host;
    return host;
  }

  private scheduleIdleStop(): void {
    const idleMs = this.options.idleMs ?? 60_000;
    if (!this.host) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const host = this.host;
      this.host = null;
      void host?.terminate();
    }, idleMs);
    this.idleTimer.unref();
  }

  private receive(message: FromJobHost): void {
    if (message.type === 'ready') return;
    const jobId = message.type === 'progress' ? message.event.jobId : message.jobId;
    const status = this.jobs.get(jobId);
    if (!status || FINAL.includes(status.state)) return;
    switch (message.type) {
      case 'progress':
        status.progress = message.event;
        break;
      case 'note':
        if (status.notes.length < MAX_NOTES) status.notes.push(message.line);
        break;
      case 'started':
        status.model = message.model;
        status.provider = message.provider;
        status.progress = { ...status.progress, mediaId: message.mediaId, media: message.media };
        break;
      case 'done':
        status.summary = message.summary;
        this.hostMaxRssMb = Math.max(this.hostMaxRssMb, message.maxRssMb);
        this.finish(status, 'done');
        return;
      case 'cancelled':
        this.finish(status, 'cancelled');
        return;
      case 'failed':
        status.error = message.error;
        this.finish(status, 'failed');
        return;
    }
    this.changed(status);
  }

  private finish(status: AnalysisJobStatus, state: 'done' | 'cancelled' | 'failed'): void {
    status.state = state;
    if (state !== 'done') status.progress = { ...status.progress, stage: state, etaSeconds: null };
    if (this.running === status.jobId) this.running = null;
    this.changed(status);
    for (const resolve of this.waiters.get(status.jobId) ?? []) resolve(structuredClone(status));
    this.waiters.delete(status.jobId);
    this.forgetOld();
    this.next();
  }

  private forgetOld(): void {
    const keep = this.options.keepFinished ?? 50;
    const finished = [...this.jobs.values()].filter((s) => FINAL.includes(s.state));
    for (const old of finished.slice(0, Math.max(0, finished.length - keep))) this.jobs.delete(old.jobId);
  }

  private changed(status: AnalysisJobStatus): void {
    for (const listener of this.listeners) listener(structuredClone(status));
  }
}
