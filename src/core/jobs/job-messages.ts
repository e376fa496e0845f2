// Messages between a job queue and the process or thread that runs its jobs (a
// worker_threads Worker, or an Electron utilityProcess). Plain JSON both ways.

import type { AnalysisJobSpec, AnalysisProgress, AnalysisSummary } from '../../shared/analysis-job';
import type { SerializedError } from '../../shared/errors';

export type ToJobHost = { type: 'run'; jobId: string; spec: AnalysisJobSpec } | { type: 'cancel'; jobId: string };

export type FromJobHost =
  | { type: 'ready' }
  | { type: 'progress'; event: AnalysisProgress }
  | { type: 'note'; jobId: string; line: string }
  | { type: 'started'; jobId: string; model: { id: string; version: string }; provider: string; mediaId: number; media: string }
  | { type: 'done'; jobId: string; summary: AnalysisSummary; maxRssMb: number }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: SerializedError };
