// Messages between a job and its visual worker (visual-worker.ts). Results carry the
// segments' statistics as Float32Arrays whose buffers are transferred, not copied.

import type { SerializedError } from '../../shared/errors';
import type { VisualRecipe } from '../analysis/face';
import type { VisualPassRequest, VisualPassResult } from '../analysis/pipeline/visual-pass';

/** workerData of a visual worker (plus `entry` when it starts through analysis-worker-boot.mjs). */
export interface VisualWorkerData {
  recipe: VisualRecipe;
  modelDir?: string;
}

export type ToVisualWorker =
  | { type: 'pass'; id: number; request: VisualPassRequest }
  | { type: 'cancel'; id: number }
  /** Abort every pass (their ffmpeg is killed), then exit. */
  | { type: 'stop' };

export type FromVisualWorker =
  | { type: 'result'; id: number; result: VisualPassResult; seconds: number }
  /** The whole error (code, file, stack), so a failed pass is diagnosable from the run log. */
  | { type: 'failed'; id: number; error: SerializedError };
