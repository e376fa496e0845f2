// Facial expression: the main face cut square with a margin, grey 64x64, through
// mini-Xception (see [Note: visual recipe] in ./recipe). The graph ends in a softmax, so its
// seven outputs are already probabilities.

import * as ort from 'onnxruntime-node';
import type { FaceDetection } from './face-detector';
import { type PixelBox, type RgbImage, cropToGreyTensor } from './image-ops';

export interface ExpressionOptions {
  inputSize: number;
  cropScale: number;
  labels: readonly string[];
}

export interface ExpressionResult {
  /** One probability per label, in `labels` order; sums to 1. */
  probabilities: Float32Array;
  labels: readonly string[];
  /** The crop the net saw, frame pixels (may reach past the frame edge). */
  crop: PixelBox;
}

/** The face a frame's expression is read from: the largest, then the most confident. */
export function mainFace(faces: readonly FaceDetection[]): FaceDetection | null {
  let best: FaceDetection | null = null;
  for (const f of faces) {
    const area = f.box.width * f.box.height;
    const bestArea = best ? best.box.width * best.box.height : -1;
    if (area > bestArea || (area === bestArea && best !== null && f.score > best.score)) best = f;
  }
  return best;
}

/** Square crop centred on the box, side = longer side * scale. */
export function expressionCrop(box: PixelBox, scale: number): PixelBox {
  const side = Math.max(box.width, box.height) * scale;
  return { x: box.x + box.width / 2 - side / 2, y: box.y + box.height / 2 - side / 2, width: side, height: side };
}

export class ExpressionClassifier {
  private readonly inputName: string;
  private readonly outputName: string;

  constructor(
    private readonly session: ort.InferenceSession,
    readonly options: ExpressionOptions,
  ) {
    this.inputName = session.inputNames[0];
    this.outputName = session.outputNames[0];
  }

  async classify(image: RgbImage, face: PixelBox): Promise<ExpressionResult> {
    const size = this.options.inputSize;
    const crop = expressionCrop(face, this.options.cropScale);
    // A buffer per call, as in FaceDetector.detect: concurrent classify calls must not share one.
    const input = new Float32Array(size * size);
    cropToGreyTensor(image, crop, size, input);
    const result = await this.session.run({ [this.inputName]: new ort.Tensor('float32', input, [1, size, size, 1]) });
    const output = result[this.outputName].data as Float32Array;
    if (output.length !== this.options.labels.length) {
      throw new Error(
        `expression net gave ${output.length} outputs for ${this.options.labels.length} labels; the model file is not the expected one`,
      );
    }
    return { probabilities: Float32Array.from(output), labels: this.options.labels, crop };
  }
}
