// The visual modality: per sampled frame, face presence, the main face's box and score, and
// its 7 expression probabilities; per segment, the share of frames with a face and the mean
// probabilities over those frames. A video without a face, an audio-only file or one whose
// frames cannot be decoded gives an absent modality with its reason, not an error: the
// fusion model takes a presence mask (ARCHITECTURE: "any modality may be missing").

import { type SerializedError, SentiscopeError } from '../../../shared/errors';
import { sampleFrames } from '../../media';
import { ExpressionClassifier, mainFace } from './expression';
import { FaceDetector } from './face-detector';
import { loadFaceModels } from './face-models';
import { FaceTrack, type TrackedFrame } from './face-track';
import type { RgbImage } from './image-ops';
import { DEFAULT_VISUAL_RECIPE, type VisualRecipe, describeVisualRecipeMismatch } from './recipe';
import { absenceReason } from '../features/absence';

export interface VisualFrameFeatures {
  /** Seconds from the start of the file. */
  time: number;
  present: boolean;
  /** Faces found (after NMS). */
  faces: number;
  /** Main face, normalised to the frame: [x, y, width, height] in [0, 1]; null without a face. */
  box: [number, number, number, number] | null;
  /** Detector score of the main face; 0 without a face. */
  score: number;
  /** Expression probabilities in recipe.expression.labels order; null without a face. */
  emotions: Float32Array | null;
}

export interface VisualStatistics {
  frames: number;
  faceFrames: number;
  /** faceFrames / frames; 0 when there are no frames. */
  faceRatio: number;
  /** Mean expression probabilities over the frames with a face; null when none has one. */
  meanEmotions: Float32Array | null;
  /** Label with the highest mean probability; null when no frame has a face. */
  dominantEmotion: string | null;
  /** Mean detector score over the frames with a face; null when none has one. */
  meanScore: number | null;
}

export type VisualAbsenceReason = 'no-video' | 'undecodable' | 'no-frames' | 'no-face';

export interface VisualFeatures {
  file: string;
  /** True when at least one frame has a face. */
  present: boolean;
  absence: { reason: VisualAbsenceReason; message: string; error: SerializedError | null } | null;
  frames: VisualFrameFeatures[];
  statistics: VisualStatistics;
  labels: readonly string[];
  recipe: VisualRecipe;
}

export interface VisualAnalyzerOptions {
  recipe?: VisualRecipe;
  /** Folder holding manifest.json and the .onnx files; defaults to resources/models/face. */
  modelDir?: string;
}

/** Detector and expression net bound to one recipe; create once, reuse for every file. */
export class VisualAnalyzer {
  private constructor(
    readonly recipe: VisualRecipe,
    readonly detector: FaceDetector,
    readonly expression: ExpressionClassifier,
  ) {}

  /** Throws SentiscopeError when the model files are missing or differ from the recipe's. */
  static async create(options: VisualAnalyzerOptions = {}): Promise<VisualAnalyzer> {
    const recipe = options.recipe ?? structuredClone(DEFAULT_VISUAL_RECIPE as VisualRecipe);
    const models = await loadFaceModels(options.modelDir);
    const installed = {
      detector: models.manifest.models.blazeface.sha256,
      expression: models.manifest.models.emotion.sha256,
    };
    const mismatch = describeVisualRecipeMismatch(
      { detector: { sha256: recipe.detector.sha256 }, expression: { sha256: recipe.expression.sha256 } },
      { detector: { sha256: installed.detector }, expression: { sha256: installed.expression } },
    );
    if (mismatch) {
      throw new SentiscopeError(
        'bad-model',
        `the face models in ${models.dir} are not the ones the recipe names (${mismatch}): install the matching models or use their recipe`,
        models.dir,
      );
    }
    const detector = new FaceDetector(models.detector, recipe.detector);
    const expression = new ExpressionClassifier(models.expression, recipe.expression);
    return new VisualAnalyzer(recipe, detector, expression);
  }

  /**
   * A detect-and-track pass over one run of frames in time order (recipe.tracker, see
   * [Note: detect and track]): push each frame, then flush; both return finished frames.
   */
  track(): { push(frame: RgbImage & { time?: number }): Promise<VisualFrameFeatures[]>; flush(): Promise<VisualFrameFeatures[]> } {
    // A v1 recipe (from an older pack or feature folder) has no tracker: it detected every frame.
    const tracker = this.recipe.tracker ?? { detectEvery: 1, minIou: 1, thumbnailScale: 4, searchRadius: 0 };
    const track = new FaceTrack(this.detector, this.expression, { ...tracker, fps: this.recipe.fps });
    return {
      push: async (frame) => (await track.push(frame)).map(frameFeatures),
      flush: async () => (await track.flush()).map(frameFeatures),
    };
  }

  /** One frame on its own: detection, then the main face's expression. */
  async analyzeFrame(frame: RgbImage & { time?: number }): Promise<VisualFrameFeatures> {
    const faces = await this.detector.detect(frame);
    const face = mainFace(faces);
    if (!face) return { time: frame.time ?? 0, present: false, faces: 0, box: null, score: 0, emotions: null };
    const { probabilities } = await this.expression.classify(frame, face.box);
    const { x, y, width, height } = face.box;
    return {
      time: frame.time ?? 0,
      present: true,
      faces: faces.length,
      box: [x / frame.width, y / frame.height, width / frame.width, height / frame.height],
      score: face.score,
      emotions: probabilities,
    };
  }

  /**
   * Frames of `path` (a video, or a still image: its one frame) between start and end
   * seconds. Media errors of the file itself (no video, corrupt, unreadable codec) make the
   * modality absent with the error attached; a missing file or ffmpeg still throws.
   */
  async analyzeMedia(path: string, range: { start?: number; end?: number } = {}): Promise<VisualFeatures> {
    const frames: VisualFrameFeatures[] = [];
    let failure: SentiscopeError | null = null;
    const track = this.track();
    try {
      for await (const frame of sampleFrames(path, { fps: this.recipe.fps, maxSize: this.recipe.maxSize, ...range })) {
        frames.push(...(await track.push(frame)));
      }
      frames.push(...(await track.flush()));
    } catch (err) {
      if (!(err instanceof SentiscopeError) || absenceReason(err, 'visual') === null) throw err;
      failure = err;
    }
    const statistics = visualStatistics(frames, this.recipe.expression.labels);
    let absence: VisualFeatures['absence'] = null;
    if (failure) {
      const reason: VisualAbsenceReason = failure.code === 'no-video' ? 'no-video' : 'undecodable';
      absence = { reason, message: failure.message, error: failure.toJSON() };
    } else if (frames.length === 0) {
      absence = { reason: 'no-frames', message: `${path}: no video frames in the requested range`, error: null };
    } else if (statistics.faceFrames === 0) {
      absence = { reason: 'no-face', message: `${path}: no face found in ${frames.length} sampled frames`, error: null };
    }
    // Frames decoded before a mid-file failure are kept, but the modality is absent: a
    // partial read would bias the segment statistics towards the file's start.
    return {
      file: path,
      present: absence === null,
      absence,
      frames,
      statistics,
      labels: this.recipe.expression.labels,
      recipe: this.recipe,
    };
  }
}

function frameFeatures(f: TrackedFrame): VisualFrameFeatures {
  if (!f.face || !f.emotions) return { time: f.time, present: false, faces: 0, box: null, score: 0, emotions: null };
  const { x, y, width, height } = f.face.box;
  return {
    time: f.time,
    present: true,
    faces: f.faces,
    box: [x / f.width, y / f.height, width / f.width, height / f.height],
    score: f.face.score,
    emotions: f.emotions,
  };
}

/** Statistics over `frames`, optionally only those with start <= time < end (a segment). */
export function visualStatistics(
  frames: readonly VisualFrameFeatures[],
  labels: readonly string[],
  range: { start?: number; end?: number } = {},
): VisualStatistics {
  const { start = -Infinity, end = Infinity } = range;
  const inRange = frames.filter((f) => f.time >= start && f.time < end);
  const withFace = inRange.filter((f) => f.present && f.emotions);
  if (withFace.length === 0) {
    return { frames: inRange.length, faceFrames: 0, faceRatio: 0, meanEmotions: null, dominantEmotion: null, meanScore: null };
  }
  const mean = new Float32Array(labels.length);
  let scoreSum = 0;
  for (const f of withFace) {
    const e = f.emotions as Float32Array;
    for (let i = 0; i < mean.length; i++) mean[i] += e[i];
    scoreSum += f.score;
  }
  let best = 0;
  for (let i = 0; i < mean.length; i++) {
    mean[i] /= withFace.length;
    if (mean[i] > mean[best]) best = i;
  }
  return {
    frames: inRange.length,
    faceFrames: withFace.length,
    faceRatio: withFace.length / inRange.length,
    meanEmotions: mean,
    dominantEmotion: labels[best],
    meanScore: scoreSum / withFace.length,
  };
}

/** One-shot convenience: create (or reuse the cached sessions of) an analyzer and run one file. */
export async function extractVisualFeatures(
  path: string,
  options: VisualAnalyzerOptions & { start?: number; end?: number } = {},
): Promise<VisualFeatures> {
  const { start, end, ...analyzerOptions } = options;
  const analyzer = await VisualAnalyzer.create(analyzerOptions);
  return analyzer.analyzeMedia(path, { start, end });
}
