// The visual feature recipe: every parameter that changes the numbers a fusion model sees
// from the face pipeline. A model pack's manifest records it; the runtime refuses a pack whose
// recipe differs (describeVisualRecipeMismatch says how), as for the acoustic recipe.
//
// [Note: visual recipe]
// - Frames: sampleFrames at `fps`, scaled to fit `maxSize` (area filter), RGB24.
// - Detect and track (v2, `tracker`): in a video BlazeFace runs on every detectEvery-th
//   sampled frame; between keyframes the main face is followed by a motion search on grey
//   thumbnails and corrected onto the next keyframe's detection, or, when it does not land
//   there (IoU < minIou) or a face appears or leaves, the frames between are halved and
//   detected ([Note: detect and track] in ./face-track). The expression net reads every
//   frame. v1 detected every frame (= detectEvery 1). A still image is one frame, detected.
// - Detector: BlazeFace "back" (256x256). The frame is letterboxed (aspect kept, centred,
//   black border) with bilinear half-pixel sampling, scaled v/127.5 - 1. Anchors: strides
//   16 (2 per cell) and 32 (6 per cell), centres at (cell + 0.5) * stride; box = anchor +
//   (dx, dy), size (w, h), all in input pixels; score = sigmoid(logit clipped to +-100);
//   greedy NMS at `iouThreshold`; boxes below `minScore` dropped.
// - Main face: the largest box (area) among the kept detections.
// - Expression: square crop centred on the main face, side = max(w, h) * cropScale, edge
//   pixels repeated past the frame, bilinear to 64x64, grey 0.2989R + 0.587G + 0.114B,
//   (v/255 - 0.5) * 2; mini-Xception's softmax gives the 7 probabilities in `labels` order.

import { describeRecipeMismatch } from '../acoustic/recipe';

export const VISUAL_RECIPE_VERSION = 2;

export const EMOTION_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];

export interface VisualRecipe {
  version: number;
  fps: number;
  maxSize: number;
  /** Detect and track (v2; v1 detected every frame), see [Note: detect and track]. */
  tracker: {
    /** BlazeFace on every n-th sampled frame of a video (a keyframe). */
    detectEvery: number;
    /** A box followed from one keyframe must overlap the next one's detection this much (IoU). */
    minIou: number;
    /** Motion search: grey thumbnail block size (frame pixels) and radius (thumbnail pixels). */
    thumbnailScale: number;
    searchRadius: number;
  };
  detector: {
    model: 'blazeface-back';
    inputSize: number;
    resize: 'letterbox-bilinear';
    minScore: number;
    iouThreshold: number;
    sha256: string;
  };
  expression: {
    model: 'mini-xception-fer2013';
    inputSize: number;
    /** Crop side relative to the detector box's longer side. */
    cropScale: number;
    grey: [number, number, number];
    labels: string[];
    sha256: string;
  };
}

/** sha256s of resources/models/face/*.onnx as converted; loadFaceModels checks the files. */
export const BLAZEFACE_SHA256 = 'f28fdfd183fe4c2f14cc295747c4960fd447cf3a618752c17b25a2396a3041a3';
export const EMOTION_SHA256 = '2bf8956e4b0fccf18e469b337346a5ad0ce638106b15720ab5c1bf4141bca398';

export const DEFAULT_VISUAL_RECIPE: Readonly<VisualRecipe> = Object.freeze({
  version: VISUAL_RECIPE_VERSION,
  fps: 5,
  maxSize: 320,
  // One detection a second at 5 fps: on the MOSI clip the face presence is unchanged frame
  // for frame, box centres move 0.7 % of the frame and the mean expression probabilities
  // < 0.02 against detection on every frame (tests/integration/face-track.test.ts).
  tracker: Object.freeze({ detectEvery: 5, minIou: 0.5, thumbnailScale: 4, searchRadius: 8 }),
  detector: Object.freeze({
    model: 'blazeface-back',
    inputSize: 256,
    resize: 'letterbox-bilinear',
    minScore: 0.65,
    iouThreshold: 0.3,
    sha256: BLAZEFACE_SHA256,
  }) as VisualRecipe['detector'],
  expression: Object.freeze({
    model: 'mini-xception-fer2013',
    inputSize: 64,
    cropScale: 1.4,
    grey: [0.2989, 0.587, 0.114],
    labels: [...EMOTION_LABELS],
    sha256: EMOTION_SHA256,
  }) as VisualRecipe['expression'],
});

/**
 * Differences between the recipe a model pack expects and this build's, one per field
 * ("detector.minScore: pack expects 0.6, this build computes 0.5"); null when they match.
 * A v1 recipe (no tracker) is read as detecting every frame, which it did, so a v1 pack is
 * told "tracker.detectEvery: pack expects 1, this build computes 5" (and the version).
 */
export function describeVisualRecipeMismatch(expected: unknown, actual: unknown = DEFAULT_VISUAL_RECIPE): string | null {
  return describeRecipeMismatch(indexArrays(withV1Defaults(expected)), indexArrays(withV1Defaults(actual)));
}

function withV1Defaults(recipe: unknown): unknown {
  if (recipe === null || typeof recipe !== 'object' || Array.isArray(recipe)) return recipe;
  const r = recipe as Record<string, unknown>;
  return r.version === 1 && !('tracker' in r) ? { ...r, tracker: { detectEvery: 1 } } : recipe;
}

// The shared describer compares leaves with Object.is: spell arrays out as "labels.0", ...
function indexArrays(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), indexArrays(v)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, indexArrays(v)]));
  }
  return value;
}
