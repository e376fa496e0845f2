// Messages between the refit service and the worker thread that runs one refit. Plain JSON.

import type { SerializedError } from '../../shared/errors';
import type { RefitJobRequest } from '../../shared/refit-job';
import type { ModelRoots } from '../models/user-models';
import type { RefitProgress, RefitReport } from '../models/refit-pack';

/** A refit of a project's labels, with where to install it. */
export interface RefitWorkerTask {
  projectPath: string;
  request: RefitJobRequest;
  roots: ModelRoots;
  threads?: number;
}

export type ToRefitWorker = { type: 'run'; task: RefitWorkerTask } | { type: 'cancel' };

export type FromRefitWorker =
  | { type: 'progress'; progress: RefitProgress }
  | { type: 'done'; report: RefitReport }
  | { type: 'cancelled' }
  | { type: 'failed'; error: SerializedError };
