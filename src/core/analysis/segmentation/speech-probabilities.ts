// Streaming speech probabilities: push 16 kHz chunks of any size as decodeAudio yields
// them; each completed 32 ms window goes through Silero at once, so memory stays at one
// window of samples plus one float per window. Chunking never changes the numbers
// (see [Note: VAD segmentation] in vad-recipe.ts).

import type { SileroVadModel } from './silero-model';
import { VAD_CONTEXT_SAMPLES, VAD_SAMPLE_RATE, VAD_WINDOW_SAMPLES } from './vad-recipe';

export interface SpeechProbabilities {
  /** One probability per VAD_WINDOW_SAMPLES window, window i starting at i * 0.032 s. */
  probabilities: Float32Array;
  /** Samples pushed (the true length; the last window may be zero-padded). */
  samples: number;
  sampleRate: number;
}

export class SpeechProbabilityStream {
  private readonly model: SileroVadModel;
  /** Context (last 64 samples of the previous window) followed by the window being filled. */
  private readonly input = new Float32Array(VAD_CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES);
  private readonly state = new Float32Array(2 * 1 * 128);
  private filled = 0;
  private samples = 0;
  private windows = 0;
  private probabilities = new Float32Array(4096);
  private finished = false;

  constructor(model: SileroVadModel) {
    this.model = model;
  }

  /** Windows scored so far. */
  get windowsReady(): number {
    return this.windows;
  }

  /** Append samples (not kept: the chunk may be reused by the caller). */
  async push(chunk: Float32Array): Promise<void> {
    if (this.finished) throw new Error('SpeechProbabilityStream.push after finish(): create a new stream per file');
    const input = this.input;
    for (let read = 0; read < chunk.length;) {
      const n = Math.min(chunk.length - read, VAD_WINDOW_SAMPLES - this.filled);
      for (let i = 0, j = VAD_CONTEXT_SAMPLES + this.filled; i < n; i++, j++) {
        const v = chunk[read + i];
        // A NaN from a broken decoder would poison the recurrent state for the rest of the file.
        input[j] = v > -Infinity && v < Infinity ? v : 0;
      }
      this.filled += n;
      this.samples += n;
      read += n;
      if (this.filled === VAD_WINDOW_SAMPLES) await this.scoreWindow();
    }
  }

  /** Score the zero-padded last partial window, if any, and return every probability. */
  async finish(): Promise<SpeechProbabilities> {
    if (!this.finished) {
      this.finished = true;
      if (this.filled > 0) {
        this.input.fill(0, VAD_CONTEXT_SAMPLES + this.filled);
        await this.scoreWindow();
      }
    }
    return { probabilities: this.probabilities.slice(0, this.windows), samples: this.samples, sampleRate: VAD_SAMPLE_RATE };
  }

  private async scoreWindow(): Promise<void> {
    const p = await this.model.windowProbability(this.input, this.state);
    if (this.windows === this.probabilities.length) {
      const grown = new Float32Array(this.probabilities.length * 2);
      grown.set(this.probabilities);
      this.probabilities = grown;
    }
    this.probabilities[this.windows++] = p;
    // The window's tail becomes the next window's context.
    this.input.copyWithin(0, VAD_WINDOW_SAMPLES, VAD_WINDOW_SAMPLES + VAD_CONTEXT_SAMPLES);
    this.filled = 0;
  }
}

/** One-shot probabilities of a whole array of 16 kHz samples. */
export async function speechProbabilities(model: SileroVadModel, samples: Float32Array): Promise<SpeechProbabilities> {
  const stream = new SpeechProbabilityStream(model);
  await stream.push(samples);
  return stream.finish();
}
