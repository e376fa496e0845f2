// What this build computes for each tensor kind a model pack may ask for: the modality it
// belongs to, its dtype, and the feature columns in order. A pack's tensor specs are
// checked against this, so a pack trained on other columns is refused, not mis-fed.

import {
  AUDIO_FRAME_NAMES,
  AUDIO_STATISTICS_NAMES,
  VISUAL_FRAME_NAMES,
  VISUAL_STATISTICS_NAMES,
} from '../analysis/features/segment-features';
import { LEXICON_FEATURE_NAMES } from '../analysis/text';
import { MODALITIES, type Modality, type TensorFeature } from './manifest';

export interface FeatureKind {
  /** null for the presence mask, which spans every modality. */
  modality: Modality | null;
  dtype: 'float32' | 'int64';
  /** Rank the tensor has, batch axis included (3 for frame sequences: batch, frames, columns). */
  rank: number;
  /** Column names of the last axis (vectors, frame rows); null for token ids. */
  columns: readonly string[] | null;
  /** Why this build cannot feed it yet; null when it can. */
  unsupported: string | null;
}

export const FEATURE_KINDS: Readonly<Record<TensorFeature, FeatureKind>> = {
  'text.token_ids': { modality: 'text', dtype: 'int64', rank: 2, columns: null, unsupported: null },
  'text.lexicon': { modality: 'text', dtype: 'float32', rank: 2, columns: LEXICON_FEATURE_NAMES, unsupported: null },
  'audio.statistics': { modality: 'audio', dtype: 'float32', rank: 2, columns: AUDIO_STATISTICS_NAMES, unsupported: null },
  'visual.statistics': { modality: 'visual', dtype: 'float32', rank: 2, columns: VISUAL_STATISTICS_NAMES, unsupported: null },
  // Frame sequences: [1, frames, D], raw frames at the recipe's rate, exactly the rows
  // `sentiscope features --sequences` writes (SegmentFeatureExtractor.extract with frames).
  'audio.frames': { modality: 'audio', dtype: 'float32', rank: 3, columns: AUDIO_FRAME_NAMES, unsupported: null },
  'visual.frames': { modality: 'visual', dtype: 'float32', rank: 3, columns: VISUAL_FRAME_NAMES, unsupported: null },
  // Pooled embeddings of a pretrained encoder plug-in ([Note: model pack]): [1, D], D the
  // dims of inputs.<modality>.encoder; no column names.
  'text.encoder': { modality: 'text', dtype: 'float32', rank: 2, columns: null, unsupported: null },
  'audio.encoder': { modality: 'audio', dtype: 'float32', rank: 2, columns: null, unsupported: null },
  'visual.encoder': { modality: 'visual', dtype: 'float32', rank: 2, columns: null, unsupported: null },
  presence: { modality: null, dtype: 'float32', rank: 2, columns: MODALITIES, unsupported: null },
};

export type EncoderFeature = 'text.encoder' | 'audio.encoder' | 'visual.encoder';

export function isEncoderFeature(value: unknown): value is EncoderFeature {
  return value === 'text.encoder' || value === 'audio.encoder' || value === 'visual.encoder';
}

/** Modalities some input reads through an encoder plug-in's embedding. */
export function encoderModalities(inputs: readonly { feature: string }[]): Modality[] {
  return MODALITIES.filter((m) => inputs.some((s) => s.feature === `${m}.encoder`));
}

/**
 * Modalities some input reads with this build's own extractors (tokens, lexicon,
 * statistics, frames): the ones SegmentFeatureExtractor must compute. A modality read only
 * through its encoder is not extracted that way.
 */
export function extractedModalities(inputs: readonly { feature: string }[]): Modality[] {
  return MODALITIES.filter((m) =>
    inputs.some((s) => isTensorFeature(s.feature) && !isEncoderFeature(s.feature) && FEATURE_KINDS[s.feature].modality === m),
  );
}

export function isTensorFeature(value: unknown): value is TensorFeature {
  return typeof value === 'string' && Object.hasOwn(FEATURE_KINDS, value);
}

/**
 * Modalities whose frame sequences some input carries. Their features must be extracted
 * with frames (SegmentFeatureExtractor.extract(source, { frames: true })), the code path of
 * `sentiscope features --sequences`, so a pack sees the frames it was trained on.
 */
export function frameModalities(inputs: readonly { feature: string }[]): Modality[] {
  return MODALITIES.filter((m) =>
    inputs.some((s) => isTensorFeature(s.feature) && FEATURE_KINDS[s.feature].rank === 3 && FEATURE_KINDS[s.feature].modality === m),
  );
}
