// The visual pass of one stretch: frames sampled once over the stretch, faces detected and
// tracked over the frames inside segments, then per-segment statistics (see [Note: span
// features] in span-features.ts). One function used both on the job's thread and in the
// visual worker (src/core/jobs/visual-worker.ts), so both give the same features.

import { sampleFrames } from '../../media';
import { VisualAnalyzer, type VisualFrameFeatures, type VisualRecipe, visualStatistics } from '../face';
import { visualStatisticsVector } from '../features/segment-features';
import { absenceReason } from '../features/absence';

export interface VisualPassRequest {
  path: string;
  /** A still image: its one frame belongs to every segment. */
  still: boolean;
  from: number;
  to: number;
  segments: { start: number; end: number }[];
}

/** Per segment: its statistics vector, or why the modality is absent. */
export type VisualPassResult = (Float32Array | string)[];

/** Runs visual passes somewhere (this thread, or a worker); create once per job. */
export interface VisualPassRunner {
  /** The segments' results and the seconds the pass took where it ran. */
  run(request: VisualPassRequest, signal?: AbortSignal): Promise<{ result: VisualPassResult; seconds: number }>;
  /** Stops whatever the runner started (sessions, worker, ffmpeg). */
  close(): Promise<void>;
}

export type VisualPassFactory = (options: { recipe: VisualRecipe; modelDir?: string }) => VisualPassRunner;

// Media errors that mean "this content has nothing for the modality", not "bad input".
export async function visualPass(analyzer: VisualAnalyzer, request: VisualPassRequest, signal?: AbortSignal): Promise<VisualPassResult> {
  const { segments, still } = request;
  const inSomeSegment = (time: number) => still || segments.some((s) => time >= s.start && time < s.end);
  const frames: VisualFrameFeatures[] = [];
  // Detect and track ([Note: detect and track]): a skipped stretch between segments ends a run.
  const track = analyzer.track();
  try {
    const range = still ? {} : { start: request.from, end: request.to };
    const sampled = sampleFrames(request.path, { fps: analyzer.recipe.fps, maxSize: analyzer.recipe.maxSize, ...range });
    for await (const frame of readAhead(sampled, READ_AHEAD_FRAMES)) {
      signal?.throwIfAborted();
      // Frames between segments are decoded (ffmpeg cannot skip them) but never analysed.
      if (inSomeSegment(frame.time)) frames.push(...(await track.push(frame)));
    }
    frames.push(...(await track.flush()));
  } catch (err) {
    const reason = absenceReason(err, 'visual');
    if (reason !== null) return segments.map(() => reason);
    throw err;
  }
  const labels = analyzer.recipe.expression.labels;
  return segments.map((s) => {
    if (!still && s.end <= s.start) return 'empty range';
    const statistics = visualStatistics(frames, labels, still ? {} : { start: s.start, end: s.end });
    if (statistics.frames === 0) return 'no frames in range';
    if (statistics.faceFrames === 0) return 'no face';
    return visualStatisticsVector(statistics);
  });
}

// Frames requested from ffmpeg before the face nets need them. Without it ffmpeg stalls on
// a full pipe (a frame is larger than the pipe and stream buffers) while the nets run, so
// decoding and inference take turns instead of overlapping. 16 frames at 320x240: 3.7 MB.
const READ_AHEAD_FRAMES = 16;

/** `source` with up to `depth` items requested ahead; stopping early returns `source` (ffmpeg is killed). */
async function* readAhead<T>(source: AsyncGenerator<T, void, undefined>, depth: number): AsyncGenerator<T, void, undefined> {
  const queue: Promise<IteratorResult<T, void>>[] = [];
  try {
    for (;;) {
      while (queue.length < depth) queue.push(source.next());
      const next = await queue.shift()!;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Reads queued behind a failure or a stop settle as done or with the same error: ignore them.
    for (const read of queue) read.catch(() => {});
    await source.return(undefined);
  }
}

/** Visual passes on the calling thread (tests, and jobs run without a worker). */
export const inThreadVisualPass: VisualPassFactory = ({ recipe, modelDir }) => {
  let analyzer: Promise<VisualAnalyzer> | null = null;
  return {
    async run(request, signal) {
      const began = performance.now();
      analyzer ??= VisualAnalyzer.create({ recipe, modelDir });
      const result = await visualPass(await analyzer, request, signal);
      return { result, seconds: (performance.now() - began) / 1000 };
    },
    async close() {},
  };
};
