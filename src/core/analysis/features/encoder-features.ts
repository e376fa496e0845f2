// Pooled embeddings of a segment by the encoder plug-ins a model pack names
// (inputs.<modality>.encoder, [Note: model pack]): text -> the segment's text; audio -> its
// 16 kHz mono samples; visual -> the image, or the video frame at the segment's middle.
// @huggingface/transformers (seconds to import) is loaded here with a dynamic import, only
// when a pack names an encoder: packs without one never pay for it.
//
// [Note: encoder absence]
// A modality whose encoder has nothing to read is absent (zeros, presence 0), with a reason,
// as in [Note: segment presence]: no text or only whitespace; no audio stream, digital
// silence (no 25 ms window at or above SILENCE_LOG_ENERGY), or fewer samples than the
// encoder's convolutional front end needs; no video stream or no frame in the range; a file
// ffmpeg cannot decode. Errors that mean the machine is broken (a tool missing) still throw.

import { SentiscopeError } from '../../../shared/errors';
import type { Device } from '../../models/execution-providers';
import type { Modality } from '../../../shared/domain';
import type { PackEncoder } from '../../models/pack-encoders';
import { decodeAudioToArray, probeMedia, sampleFrames, type VideoFrame } from '../../media';
import type { AudioEncoder, ImageEncoder, TextEncoder as TextEmbedder } from '../../plugins';
import { type MediaRange, SILENCE_LOG_ENERGY, type SegmentFeatures, type SegmentSource } from './segment-features';
import { absenceReason } from './absence';

/** Longest side of the frame handed to an image encoder (its processor resizes it again, CLIP to 224). */
export const ENCODER_FRAME_MAX_SIZE = 640;

/** 25 ms at 16 kHz: the window the silence test measures energy over. */
const SILENCE_WINDOW = 400;

// Errors that mean the machine, not the segment, is broken.
const FATAL = new Set(['tool-missing', 'internal']);

export interface EncoderFeatureOptions {
  device?: Device;
  threads?: number;
}

export interface SegmentEmbeddings {
  embeddings: Partial<Record<Modality, Float32Array>>;
  /** Why each encoder modality has no embedding ([Note: encoder absence]). */
  absent: Partial<Record<Modality, string>>;
}

interface OpenedEncoders {
  text?: TextEmbedder;
  audio?: AudioEncoder;
  visual?: ImageEncoder;
}

/**
 * The frame an image encoder sees for `range`: a still image's one frame, else the frame
 * at the middle of the range (the whole file when it has no end). null when the range
 * yields no frame.
 */
export async function middleFrame(range: MediaRange, maxSize = ENCODER_FRAME_MAX_SIZE): Promise<VideoFrame | null> {
  const start = range.start ?? 0;
  const end = range.end ?? (await probeMedia(range.path)).duration;
  const middle = (start + end) / 2;
  // A still image ignores the range (sampleFrames gives its one frame); fps 1 from the
  // middle gives the middle frame first, and leaving the loop stops ffmpeg.
  for await (const frame of sampleFrames(range.path, { start: middle, end: Math.max(end, middle), fps: 1, maxSize })) return frame;
  return null;
}

/** True when no 25 ms window reaches SILENCE_LOG_ENERGY (mean square 1e-8, -80 dBFS). */
export function isDigitalSilence(samples: Float32Array): boolean {
  const threshold = Math.exp(SILENCE_LOG_ENERGY);
  for (let at = 0; at < samples.length; at += SILENCE_WINDOW) {
    const stop = Math.min(samples.length, at + SILENCE_WINDOW);
    let sum = 0;
    for (let i = at; i < stop; i++) sum += samples[i] * samples[i];
    if (sum / (stop - at) >= threshold) return false;
  }
  return true;
}

export class EncoderFeatureExtractor {
  private constructor(
    private readonly encoders: OpenedEncoders,
    /** Modalities with an encoder, in MODALITIES order. */
    readonly modalities: readonly Modality[],
  ) {}

  /** Opens every encoder the pack names (PackEncoder: folders already checked by the pack loader). */
  static async open(specs: readonly PackEncoder[], options: EncoderFeatureOptions = {}): Promise<EncoderFeatureExtractor> {
    const plugins = await import('../../plugins');
    const opened: OpenedEncoders = {};
    try {
      for (const spec of specs) {
        if (spec.modality === 'text') opened.text = await plugins.openTextEncoder(spec.dir, { ...options, pooling: spec.pooling });
        else if (spec.modality === 'audio') opened.audio = await plugins.openAudioEncoder(spec.dir, options);
        else opened.visual = await plugins.openImageEncoder(spec.dir, options);
        const encoder = opened[spec.modality]!;
        if (encoder.dims !== spec.dims) {
          throw new SentiscopeError(
            'bad-model',
            `The ${spec.modality} encoder in ${spec.dir} gives ${encoder.dims}-value embeddings; the pack expects ${spec.dims}. Fix the pack's manifest.json.`,
            spec.dir,
          );
        }
      }
    } catch (err) {
      await Promise.all(Object.values(opened).map((e) => e.dispose()));
      throw err;
    }
    return new EncoderFeatureExtractor(
      opened,
      specs.map((s) => s.modality),
    );
  }

  /** Embeddings of `source` for every modality with an encoder. */
  async embed(source: SegmentSource): Promise<SegmentEmbeddings> {
    const result: SegmentEmbeddings = { embeddings: {}, absent: {} };
    for (const modality of this.modalities) {
      try {
        const outcome = await this.embedOne(modality, source);
        if (typeof outcome === 'string') result.absent[modality] = outcome;
        else result.embeddings[modality] = outcome;
      } catch (err) {
        if (!(err instanceof SentiscopeError) || FATAL.has(err.code)) throw err;
        // An encoder that cannot read this segment's input (too short, ...) leaves it absent too.
        result.absent[modality] = absenceReason(err, modality) ?? err.message;
      }
    }
    return result;
  }

  /**
   * `features` with the embeddings of `source` added. A modality read only through its
   * encoder (not in `extracted`) takes its absence reason from the encoder; one also read
   * by the built-in extractors keeps that reason first.
   */
  async addTo(features: SegmentFeatures, source: SegmentSource, extracted: readonly Modality[]): Promise<SegmentFeatures> {
    const { embeddings, absent } = await this.embed(source);
    const merged = { ...features.absent };
    for (const m of this.modalities) {
      const reason = extracted.includes(m) ? (features.absent[m] ?? absent[m]) : absent[m];
      if (reason === undefined) delete merged[m];
      else merged[m] = reason;
    }
    return { ...features, absent: merged, embeddings };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.encoders).map((e) => e.dispose()));
  }

  private async embedOne(modality: Modality, source: SegmentSource): Promise<Float32Array | string> {
    if (modality === 'text') {
      if (source.text == null) return 'not given';
      if (source.text.trim() === '') return 'no text';
      return this.encoders.text!.embed(source.text);
    }
    const range = source[modality];
    if (!range) return 'not given';
    if (range.start !== undefined && range.end !== undefined && range.end <= range.start) return 'empty range';
    if (modality === 'audio') {
      const encoder = this.encoders.audio!;
      const samples = await decodeAudioToArray(range.path, { start: range.start, end: range.end });
      if (samples.length < encoder.minSamples)
        return `too short for the ${encoder.family} encoder (${samples.length} samples, it needs ${encoder.minSamples})`;
      if (isDigitalSilence(samples)) return 'silent';
      return encoder.embed(samples);
    }
    const frame = await middleFrame(range);
    if (!frame) return 'no frames in range';
    return this.encoders.visual!.embed(frame);
  }
}
