// The model pack contract: resources/models/<id>/manifest.json.
// [Note: model pack] A pack names its ONNX files, the exact feature recipe each input
// expects, its tensors, its output scale and labels, the data it saw, its metrics and
// its licenses. The runtime computes every input itself from media and text, so a pack
// whose recipes or tensor shapes differ from what this build computes is refused with a
// message naming what differs — never run on features it was not trained on.
//
// A pack may also name a pretrained encoder plug-in per modality (src/core/plugins):
// inputs.<modality>.encoder = { folder, family, dims, pooling? }, and a fusion input of kind
// text.encoder / audio.encoder / visual.encoder then receives that encoder's pooled
// embedding of the segment (text: its text; audio: its 16 kHz samples; visual: the image,
// or the video frame at the segment's middle). `folder` is relative to the pack folder
// (the pack then travels whole) or absolute; it is checked when the pack loads (config,
// tokenizer/preprocessor and ONNX files present, the family and modality as named, dims
// equal to the tensor's width), while the encoder itself (@huggingface/transformers) is
// loaded only when a prediction runs. The modality still gives its recipe (checked as
// usual). Example:
//   "inputs": { "text": { "recipe": {...}, "encoder": { "folder": "encoders/bert", "family": "bert", "dims": 768, "pooling": "mean" } } },
//   "fusion": { "inputs": [
//     { "name": "text_embedding", "dtype": "float32", "shape": [1, 768], "feature": "text.encoder" },
//     { "name": "presence", "dtype": "float32", "shape": [1, 3], "feature": "presence" } ], ... }

import type { AcousticRecipe } from '../analysis/acoustic';
import type { VisualRecipe } from '../analysis/face';
import type { TextRecipe } from '../analysis/text';

export const MODEL_PACK_FORMAT = 'sentiscope-model-pack';
export const MODEL_PACK_FORMAT_VERSION = 1;

// Modality lives in src/shared/domain.ts (analysis and models both read it); re-exported for the pack API.
export { MODALITIES, type Modality } from '../../shared/domain';
import type { Modality } from '../../shared/domain';

/**
 * What an input tensor carries; the runtime knows how to compute each kind.
 * - text.token_ids: int64 [1, tokens] ids from the pack's vocabulary (pad 0, unknown 1)
 * - text.lexicon: float32 [1, 11] lexicon features (VADER + AFINN), names in the recipe
 * - audio.statistics / visual.statistics: float32 [1, D] utterance statistics
 * - audio.frames / visual.frames: float32 [1, frames, D] frame sequences
 * - text.encoder / audio.encoder / visual.encoder: float32 [1, D] the pooled embedding of
 *   the segment by the encoder plug-in inputs.<modality>.encoder names (D = its dims)
 * - presence: float32 [1, 3] 1/0 per modality in MODALITIES order
 */
export type TensorFeature =
  | 'text.token_ids'
  | 'text.lexicon'
  | 'audio.statistics'
  | 'audio.frames'
  | 'visual.statistics'
  | 'visual.frames'
  | 'text.encoder'
  | 'audio.encoder'
  | 'visual.encoder'
  | 'presence';

/** A dimension: a fixed size, or a name for a dynamic axis ("tokens", "frames"). */
export type Dimension = number | string;

export interface TensorSpec {
  name: string;
  dtype: 'float32' | 'int64';
  shape: Dimension[];
  feature: TensorFeature;
  /** For feature vectors: the column names in order, as the extractor names them. */
  columns?: string[];
}

/** A pretrained encoder plug-in a pack reads a modality through ([Note: model pack]). */
export interface EncoderPlugin {
  /** The encoder folder (config.json, tokenizer or preprocessor, ONNX): relative to the pack folder, or absolute. */
  folder: string;
  /** config.json model_type, e.g. "bert", "wav2vec2", "hubert", "clip". */
  family: string;
  /** Length of the embedding: the hidden size (text, audio), the projection size (CLIP), the label count (text classifiers). */
  dims: number;
  /** Text feature-extraction folders: mean over real tokens (default) or the first token. */
  pooling?: 'mean' | 'cls';
}

export interface ModelPackInputs {
  /** Present when the pack reads text. Every modality gives its recipe, even one read only through its encoder. */
  text?: {
    recipe: TextRecipe;
    /** Vocabulary file (one token per line; id = 2 + line index), relative to the pack. */
    vocabulary?: string;
    maxTokens?: number;
    /** ISO 639-1 codes of the languages the pack was trained on; text in another is absent. None: not checked. */
    languages?: string[];
    encoder?: EncoderPlugin;
  };
  audio?: { recipe: AcousticRecipe; encoder?: EncoderPlugin };
  visual?: { recipe: VisualRecipe; encoder?: EncoderPlugin };
}

export interface ModelPackFusion {
  /** The fusion ONNX file, relative to the pack folder. */
  file: string;
  inputs: TensorSpec[];
  outputs: {
    /** float32 [1, 1], in scoreRange. */
    score: string;
    /** float32 [1, 3] logits over `classes`. */
    logits: string;
    /** float32 [1, 3]: 1 where a present modality's input is outside the training data, per MODALITIES. */
    ood?: string;
    /** Internal gates, where the architecture has them (name -> tensor). */
    gates?: Record<string, string>;
  };
}

export interface TrainingDataset {
  name: string;
  /** e.g. "train", "dev"; what the pack saw. */
  splits: string[];
  rows: number;
  modalities: Modality[];
  source: string;
}

export interface ModelPackManifest {
  format: typeof MODEL_PACK_FORMAT;
  formatVersion: number;
  id: string;
  version: string;
  name: string;
  /** The pack `predict` and the app use when none is named; else the first by id. */
  default?: boolean;
  architecture: string;
  description: string;
  modalities: Modality[];
  inputs: ModelPackInputs;
  fusion: ModelPackFusion;
  output: {
    scoreRange: [number, number];
    classes: ['negative', 'neutral', 'positive'];
  };
  training: {
    data: TrainingDataset[];
    /** The command that produced this pack, from the repository root. */
    command: string;
  };
  /** A refit pack (`sentiscope refit`): the head file it adds on top of its source pack's outputs. */
  refit?: { file: string; source: { id: string; version: string } };
  /** split -> metric -> value, MMSA conventions (e.g. { "mosi-dev": { "acc2_non0": 0.71 } }). */
  metrics: Record<string, Record<string, number>>;
  license: string;
  /** Weights and data this pack derives from, with their licenses. */
  derivedFrom: { name: string; license: string; source: string }[];
}
