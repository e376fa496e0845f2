// Streaming acoustic feature extraction: push 16 kHz chunks of any size as decodeAudio
// yields them, then finish(). The result is identical, bit for bit, however the stream
// is chunked, because every frame is computed from the same samples in the same order.

import { FrameFeatures } from './frame-features';
import { type AcousticRecipe, acousticFeatureNames, acousticFrameCount, DEFAULT_ACOUSTIC_RECIPE } from './recipe';
import { parseAcousticRecipe } from './recipe-check';

/** Frame matrix, row-major frames x dims; column names in `names`. */
export interface AcousticFrames {
  frames: number;
  dims: number;
  data: Float32Array;
  names: string[];
  recipe: AcousticRecipe;
}

export class AcousticExtractor {
  readonly recipe: AcousticRecipe;
  readonly dims: number;
  private readonly features: FrameFeatures;
  private readonly hop: number;
  private readonly frameLength: number;
  private readonly span: number;
  /** Float64 copy of the current frame's span (frame + YIN look-ahead). */
  private readonly spanSamples: Float64Array;
  /** Pending samples; buffer[0] is stream sample bufferStart. */
  private buffer: Float32Array;
  private bufferStart = 0;
  private bufferLength = 0;
  private totalSamples = 0;
  private nextFrame = 0;
  private rows: Float32Array;
  private finished = false;

  /** Throws SentiscopeError('bad-model') for a recipe this build does not implement. */
  constructor(recipe: AcousticRecipe = DEFAULT_ACOUSTIC_RECIPE) {
    this.recipe = parseAcousticRecipe(recipe);
    this.features = new FrameFeatures(this.recipe);
    this.dims = this.features.dims;
    const { hop, frameLength, span } = this.features.geometry;
    this.hop = hop;
    this.frameLength = frameLength;
    this.span = span;
    this.spanSamples = new Float64Array(span);
    this.buffer = new Float32Array(Math.max(span * 2, this.recipe.sampleRate));
    this.rows = new Float32Array(this.dims * 1024);
  }

  /** Frames computed so far. */
  get framesReady(): number {
    return this.nextFrame;
  }

  /** Append samples (not kept: the chunk may be reused by the caller). */
  push(chunk: Float32Array): void {
    if (this.finished) throw new Error('AcousticExtractor.push after finish(): create a new extractor per stream');
    let read = 0;
    while (read < chunk.length) {
      this.makeRoom();
      const n = Math.min(chunk.length - read, this.buffer.length - this.bufferLength);
      const buffer = this.buffer;
      for (let i = 0, j = this.bufferLength; i < n; i++, j++) {
        const v = chunk[read + i];
        // A NaN or infinity from a broken decoder must not poison whole feature rows.
        buffer[j] = v > -Infinity && v < Infinity ? v : 0;
      }
      this.bufferLength += n;
      this.totalSamples += n;
      read += n;
      this.computeReadyFrames(false);
    }
  }

  /** Compute the last frames (YIN look-ahead past the end reads zeros) and return the matrix. */
  finish(): AcousticFrames {
    if (!this.finished) {
      this.finished = true;
      this.computeReadyFrames(true);
    }
    return {
      frames: this.nextFrame,
      dims: this.dims,
      data: this.rows.slice(0, this.nextFrame * this.dims),
      names: acousticFeatureNames(this.recipe),
      recipe: this.recipe,
    };
  }

  /** Drop samples no later frame needs; grow only when a single span does not fit. */
  private makeRoom(): void {
    if (this.bufferLength < this.buffer.length) return;
    const keepFrom = this.nextFrame * this.hop;
    const drop = Math.min(keepFrom - this.bufferStart, this.bufferLength);
    if (drop > 0) {
      this.buffer.copyWithin(0, drop, this.bufferLength);
      this.bufferStart += drop;
      this.bufferLength -= drop;
    }
    if (this.bufferLength >= this.buffer.length) {
      const grown = new Float32Array(this.buffer.length * 2);
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
  }

  private computeReadyFrames(atEnd: boolean): void {
    const available = this.bufferStart + this.bufferLength;
    const lastFrame = atEnd ? acousticFrameCount(this.recipe, this.totalSamples) : Infinity;
    const spanSamples = this.spanSamples;
    while (this.nextFrame < lastFrame) {
      const start = this.nextFrame * this.hop;
      if (!atEnd && start + this.span > available) break;
      if (start + this.frameLength > available) break;
      const from = start - this.bufferStart;
      const have = Math.min(this.span, available - start);
      const buffer = this.buffer;
      for (let i = 0; i < have; i++) spanSamples[i] = buffer[from + i];
      if (have < this.span) spanSamples.fill(0, have);
      this.ensureRowCapacity();
      this.features.compute(spanSamples, this.rows, this.nextFrame * this.dims);
      this.nextFrame++;
    }
  }

  private ensureRowCapacity(): void {
    const needed = (this.nextFrame + 1) * this.dims;
    if (needed <= this.rows.length) return;
    const grown = new Float32Array(this.rows.length * 2);
    grown.set(this.rows);
    this.rows = grown;
  }
}

/** One-shot extraction of a whole array of samples at recipe.sampleRate. */
export function extractAcousticFeatures(samples: Float32Array, recipe: AcousticRecipe = DEFAULT_ACOUSTIC_RECIPE): AcousticFrames {
  const extractor = new AcousticExtractor(recipe);
  extractor.push(samples);
  return extractor.finish();
}
