// A segment's features as a pack reads them: the built-in extractors with the pack's
// recipes and its encoder plug-ins, exactly as `predict` computes them, shared by
// `predict` and `refit` so a refit head is fitted on the very vectors it will see.

import { SentiscopeError } from '../../shared/errors';
import type { EncoderFeatureExtractor } from '../analysis/features/encoder-features';
import {
  type SegmentExtractOptions,
  SegmentFeatureExtractor,
  type SegmentFeatures,
  type SegmentSource,
} from '../analysis/features/segment-features';
import type { Device } from './execution-providers';
import type { FusionRunner } from './fusion-runner';
import { MODALITIES } from './manifest';

// Errors that mean the machine, not the row, is broken: stop the batch.
const FATAL = new Set(['tool-missing', 'internal']);

/**
 * Features of one row. Should extraction throw for one modality (an unexpected decoder
 * failure), that modality alone is absent, with the error as its reason.
 */
async function extractRow(
  extractor: SegmentFeatureExtractor,
  source: SegmentSource,
  options: SegmentExtractOptions,
): Promise<SegmentFeatures> {
  try {
    return await extractor.extract(source, options);
  } catch (err) {
    if (!(err instanceof SentiscopeError) || FATAL.has(err.code)) throw err;
  }
  const parts = await Promise.all(
    MODALITIES.map(async (m) => {
      try {
        return await extractor.extract({ [m]: source[m] }, options);
      } catch (err) {
        if (!(err instanceof SentiscopeError) || FATAL.has(err.code)) throw err;
        return { text: null, audio: null, visual: null, absent: { [m]: err.message } } as SegmentFeatures;
      }
    }),
  );
  return {
    text: parts[0].text,
    audio: parts[1].audio,
    visual: parts[2].visual,
    absent: Object.fromEntries(MODALITIES.flatMap((m, i) => (parts[i].absent[m] ? [[m, parts[i].absent[m]!]] : []))),
  };
}

export class PackFeatureReader {
  private constructor(
    private readonly runner: FusionRunner,
    private readonly extractor: SegmentFeatureExtractor,
    private readonly encoders: EncoderFeatureExtractor | null,
  ) {}

  static async open(runner: FusionRunner, options: { device?: Device; threads?: number } = {}): Promise<PackFeatureReader> {
    const { pack } = runner;
    const { manifest } = pack;
    const extractor = await SegmentFeatureExtractor.create({
      textRecipe: manifest.inputs.text?.recipe,
      textLanguages: manifest.inputs.text?.languages,
      acousticRecipe: manifest.inputs.audio?.recipe,
      visualRecipe: manifest.inputs.visual?.recipe,
    });
    // Encoder plug-ins (and @huggingface/transformers) load only for a pack that names one.
    let encoders: EncoderFeatureExtractor | null = null;
    if (pack.encoders.length) {
      try {
        const { EncoderFeatureExtractor } = await import('../analysis/features/encoder-features');
        encoders = await EncoderFeatureExtractor.open(pack.encoders, options);
      } catch (err) {
        extractor.close();
        throw err;
      }
    }
    return new PackFeatureReader(runner, extractor, encoders);
  }

  /** What the pack would read of `row`: only its modalities (a text-only pack never decodes video). */
  sourceFor(row: SegmentSource): SegmentSource {
    const { modalities } = this.runner.pack.manifest;
    return {
      text: modalities.includes('text') ? row.text : null,
      audio: modalities.includes('audio') ? row.audio : null,
      visual: modalities.includes('visual') ? row.visual : null,
    };
  }

  /** Features of `source` (already cut by sourceFor). */
  async read(source: SegmentSource): Promise<SegmentFeatures> {
    // A modality read only through its encoder skips the built-in extractors.
    const extracted = { ...source };
    for (const m of MODALITIES) if (!this.runner.extractedOf.includes(m)) extracted[m] = null;
    // Frames only for a pack that reads them ([Note: absent frames] in fusion-runner.ts).
    const features = await extractRow(this.extractor, extracted, { frames: this.runner.framesOf.length > 0 });
    return this.encoders ? this.encoders.addTo(features, source, this.runner.extractedOf) : features;
  }

  async close(): Promise<void> {
    this.extractor.close();
    await this.encoders?.close();
  }
}
