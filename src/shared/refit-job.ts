// "Refit on my labels" as every layer sees it: what to refit, a running refit's status and
// the learning curve a refit pack keeps. Pure data (it crosses worker, IPC and HTTP).

import type { SerializedError } from './errors';

/** Refit the open project's consensus labels into a new pack `id`. */
export interface RefitJobRequest {
  id: string;
  /** Source pack id; default the default pack. */
  from?: string;
  folds?: number;
  seed?: number;
  /** Install even when the refit is not better than its source on the held-out folds. */
  force?: boolean;
}

export type RefitJobStage = 'starting' | 'features' | 'cross-validation' | 'fit' | 'learning-curve' | 'install';
export type RefitJobState = 'running' | 'done' | 'refused' | 'cancelled' | 'failed';

export interface LearningCurvePoint {
  /** Share of each training fold's labels used. */
  fraction: number;
  /** Labels each fold's head was fitted on (the mean over the folds, rounded). */
  labels: number;
  /** The decision metric on the held-out folds: the source pack, then the refit. */
  before: number;
  after: number;
}

export interface LearningCurve {
  /** balanced_accuracy (higher is better) or mae (score labels, lower is better). */
  metric: 'balanced_accuracy' | 'mae';
  folds: number;
  lambda: number;
  points: LearningCurvePoint[];
}

/** What a finished refit reports to the page. */
export interface RefitJobResult {
  id: string;
  installed: boolean;
  refused: string | null;
  rows: number;
  source: { id: string; version: string };
  decision: { metric: LearningCurve['metric']; before: number; after: number; better: boolean };
  learningCurve: LearningCurve;
  seconds: number;
}

export interface RefitJobStatus {
  jobId: string;
  request: RefitJobRequest;
  state: RefitJobState;
  stage: RefitJobStage;
  /** Rows read (features) or folds started (cross-validation), of `total`. */
  done: number;
  total: number;
  result: RefitJobResult | null;
  error: SerializedError | null;
}
