// What this build computes for each tensor kind a model pack may ask for: the modality it
// belongs to, its dtype, and the feature columns in order. A pack's tensor specs are
// checked against this, so a pack trained on other columns is refused, not mis-fed.

import { AUDIO_STATISTICS_NAMES, VISUAL_STATISTICS_NAMES } from '../analysis/segment-features';
import { LEXICON_FEATURE_NAMES } from '../analysis/text';
import { MODALITIES, type Modality, type TensorFeature } from './manifest';

export interface FeatureKind {
  /** null for the presence mask, which spans every modality. */
  modality: Modality | null;
  dtype: 'float32' | 'int64';
  /** Rank the tensor has, batch axis included. */
  rank: number;
  /** Column names for vectors; null for token ids. */
  columns: readonly string[] | null;
  /** Why this build cannot feed it yet; null when it can. */
  unsupported: string | null;
}

export const FEATURE_KINDS: Readonly<Record<TensorFeature, FeatureKind>> = {
  'text.token_ids': { modality: 'text', dtype: 'int64', rank: 2, columns: null, unsupported: null },
  'text.lexicon': { modality: 'text', dtype: 'float32', rank: 2, columns: LEXICON_FEATURE_NAMES, unsupported: null },
  'audio.statistics': { modality: 'audio', dtype: 'float32', rank: 2, columns: AUDIO_STATISTICS_NAMES, unsupported: null },
  'visual.statistics': { modality: 'visual', dtype: 'float32', rank: 2, columns: VISUAL_STATISTICS_NAMES, unsupported: null },
  // Frame sequences are named in the manifest contract, but the segment feature extractor
  // hands the runtime utterance statistics only; a sequence pack needs that path first.
  'audio.frames': {
    modality: 'audio',
    dtype: 'float32',
    rank: 3,
    columns: null,
    unsupported: 'the prediction runtime does not compute frame sequences yet (only audio.statistics)',
  },
  'visual.frames': {
    modality: 'visual',
    dtype: 'float32',
    rank: 3,
    columns: null,
    unsupported: 'the prediction runtime does not compute frame sequences yet (only visual.statistics)',
  },
  presence: { modality: null, dtype: 'float32', rank: 2, columns: MODALITIES, unsupported: null },
};

export function isTensorFeature(value: unknown): value is TensorFeature {
  return typeof value === 'string' && Object.hasOwn(FEATURE_KINDS, value);
}
