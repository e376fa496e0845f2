// Messages between the refit service and the worker thread that runs one refit. Plain JSON.

import type { SerializedError } from '../../shared/errors';
import type { RefitJobRequest } from '../../shared/refit-job';
import type { ModelRoots } from '../models/user-models';
import type { LabelSet, RefitProgress, RefitReport } from '../models/refit-pack';

/** A refit of labels read by the serving thread (plain data: the worker opens no project), with where to install it. */
export interface RefitWorkerTask {
  set: LabelSet;
  request: RefitJobRequest;
  roots: ModelRoots;
  threads?: number;
  /** Where rows' features are kept between refits. */
  cacheDir?: string;
}

export type ToRefitWorker = { type: 'run'; task: RefitWorkerTask } | { type: 'cancel' };

export type FromRefitWorker =
  | { type: 'progress'; progress: RefitProgress }
  | { type: 'done'; report: RefitReport }
  | { type: 'cancelled' }
  | { type: 'failed'; error: SerializedError };
