// Analysis jobs off the caller's thread: the queue, the hosts that run jobs, and the
// protocol between them.

export { AnalysisQueue } from './analysis-queue';
export type { AnalysisQueueOptions } from './analysis-queue';
export { startAnalysisWorker } from './worker-host';
export type { JobHostFactory, JobHostHandle } from './worker-host';
export { serveJobs } from './job-host';
export type { JobPort, ServeJobsOptions } from './job-host';
export { builtVisualWorker, sourceVisualWorker, visualWorkerPass } from './visual-worker-host';
export type { VisualWorkerSpawner } from './visual-worker-host';
export type { FromJobHost, ToJobHost } from './job-messages';
