// Face detection with BlazeFace (see [Note: visual recipe] in ./recipe): letterbox the frame
// into the 256x256 input, run the net, decode the 896 anchors, sigmoid the scores, NMS, and
// map boxes back to frame pixels.

import * as ort from 'onnxruntime-node';
import { type PixelBox, type RgbImage, letterboxToTensor, unletterboxBox } from './image-ops';

export interface FaceDetection {
  /** Frame pixels, clipped to the frame. */
  box: PixelBox;
  score: number;
  /** Six landmarks in frame pixels: right eye, left eye, nose, mouth, right ear, left ear. */
  keypoints: [number, number][];
}

export interface FaceDetectorOptions {
  inputSize: number;
  minScore: number;
  iouThreshold: number;
}

const KEYPOINTS = 6;
const VALUES_PER_ANCHOR = 4 + 2 * KEYPOINTS;

/** Anchor centres in input pixels, in the order the net's two heads emit them. */
export function blazeFaceAnchors(inputSize: number): { heads: { count: number; centres: Float32Array }[] } {
  const heads = [
    { stride: 16, perCell: 2 },
    { stride: 32, perCell: 6 },
  ].map(({ stride, perCell }) => {
    const cells = Math.ceil(inputSize / stride);
    const centres = new Float32Array(cells * cells * perCell * 2);
    let i = 0;
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let n = 0; n < perCell; n++) {
          centres[i++] = stride * (x + 0.5);
          centres[i++] = stride * (y + 0.5);
        }
      }
    }
    return { count: cells * cells * perCell, centres };
  });
  return { heads };
}

interface Candidate {
  box: PixelBox;
  score: number;
  keypoints: [number, number][];
}

export class FaceDetector {
  private readonly anchors: ReturnType<typeof blazeFaceAnchors>;
  private readonly inputName: string;

  constructor(
    private readonly session: ort.InferenceSession,
    readonly options: FaceDetectorOptions,
  ) {
    this.anchors = blazeFaceAnchors(options.inputSize);
    this.inputName = session.inputNames[0];
  }

  /** Faces in the frame, most confident first; empty when none reaches minScore. */
  async detect(image: RgbImage): Promise<FaceDetection[]> {
    const size = this.options.inputSize;
    // A buffer per call: run() reads it off this thread, and passes over two stretches may
    // detect at once, so a shared buffer could be overwritten while a run reads it.
    const input = new Float32Array(size * size * 3);
    const { letterbox } = letterboxToTensor(image, size, input);
    const result = await this.session.run({ [this.inputName]: new ort.Tensor('float32', input, [1, size, size, 3]) });
    const candidates: Candidate[] = [];
    for (const head of this.anchors.heads) {
      const { scores, regressors } = this.headOutputs(result, head.count);
      for (let a = 0; a < head.count; a++) {
        // MediaPipe clips the logit to +-100 before the sigmoid.
        const logit = Math.max(-100, Math.min(100, scores[a]));
        const score = 1 / (1 + Math.exp(-logit));
        if (!(score >= this.options.minScore)) continue;
        const r = a * VALUES_PER_ANCHOR;
        const ax = head.centres[2 * a];
        const ay = head.centres[2 * a + 1];
        const cx = ax + regressors[r];
        const cy = ay + regressors[r + 1];
        const w = regressors[r + 2];
        const h = regressors[r + 3];
        if (!(w > 0 && h > 0)) continue;
        const box = unletterboxBox({ x: cx - w / 2, y: cy - h / 2, width: w, height: h }, letterbox);
        const keypoints: [number, number][] = [];
        for (let k = 0; k < KEYPOINTS; k++) {
          const p = unletterboxBox(
            { x: ax + regressors[r + 4 + 2 * k], y: ay + regressors[r + 5 + 2 * k], width: 0, height: 0 },
            letterbox,
          );
          keypoints.push([p.x, p.y]);
        }
        candidates.push({ box, score, keypoints });
      }
    }
    return nonMaxSuppression(candidates, this.options.iouThreshold)
      .map((c) => ({ ...c, box: clipBox(c.box, image.width, image.height) }))
      .filter((c) => c.box.width > 0 && c.box.height > 0);
  }

  /** The score and regressor tensors of the head with `count` anchors, found by shape. */
  private headOutputs(result: ort.InferenceSession.OnnxValueMapType, count: number): { scores: Float32Array; regressors: Float32Array } {
    let scores: Float32Array | undefined;
    let regressors: Float32Array | undefined;
    for (const tensor of Object.values(result)) {
      const dims = tensor.dims;
      if (dims.length !== 3 || dims[1] !== count) continue;
      if (dims[2] === 1) scores = tensor.data as Float32Array;
      else if (dims[2] === VALUES_PER_ANCHOR) regressors = tensor.data as Float32Array;
    }
    if (!scores || !regressors)
      throw new Error(
        `BlazeFace: no [1, ${count}, 1] / [1, ${count}, ${VALUES_PER_ANCHOR}] outputs; the model file is not the expected detector`,
      );
    return { scores, regressors };
  }
}

export function iou(a: PixelBox, b: PixelBox): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS: keep the best box, drop those overlapping it by more than `threshold`, repeat. */
export function nonMaxSuppression<T extends { box: PixelBox; score: number }>(candidates: T[], threshold: number): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const c of sorted) {
    if (kept.every((k) => iou(k.box, c.box) <= threshold)) kept.push(c);
  }
  return kept;
}

function clipBox(box: PixelBox, width: number, height: number): PixelBox {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(width, box.x + box.width);
  const y1 = Math.min(height, box.y + box.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
