// What a pretrained-encoder folder holds, checked before anything is loaded: its family
// (from config.json model_type), its modality and task, where its ONNX file is (Hub layout
// onnx/<name>.onnx or the folder's top level) and that every file transformers.js will read
// is there. A folder missing one is refused with an error naming that file.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataType } from '@huggingface/transformers';
import { SentiscopeError } from '../../shared/errors';
import { readModelJson } from '../io/model-json';

export const TEXT_FAMILIES = [
  'bert',
  'roberta',
  'distilbert',
  'xlm-roberta',
  'camembert',
  'albert',
  'electra',
  'deberta',
  'deberta-v2',
  'mpnet',
  'mobilebert',
  'modernbert',
] as const;
export const AUDIO_FAMILIES = ['wav2vec2', 'hubert', 'wavlm'] as const;
export const IMAGE_FAMILIES = ['clip'] as const;

export type TextFamily = (typeof TEXT_FAMILIES)[number];
export type AudioFamily = (typeof AUDIO_FAMILIES)[number];
export type ImageFamily = (typeof IMAGE_FAMILIES)[number];
export type EncoderFamily = TextFamily | AudioFamily | ImageFamily;
export type EncoderModality = 'text' | 'audio' | 'image';
export type EncoderTask = 'feature-extraction' | 'text-classification';

/** Parsed config.json: only the fields Sentiscope reads. */
export interface EncoderConfig {
  model_type?: string;
  architectures?: string[];
  hidden_size?: number;
  dim?: number;
  projection_dim?: number;
  max_position_embeddings?: number;
  id2label?: Record<string, string>;
  problem_type?: string;
  conv_kernel?: number[];
  conv_stride?: number[];
  vision_config?: { hidden_size?: number; projection_dim?: number };
}

export interface EncoderFolder {
  /** Absolute path of the folder. */
  dir: string;
  family: EncoderFamily;
  modality: EncoderModality;
  /** Text folders only: from config.json architectures (…ForSequenceClassification). */
  task: EncoderTask;
  config: EncoderConfig;
  /** "onnx" when the model sits in onnx/, "" when at the top level. */
  subfolder: string;
  /** fp32 (model.onnx) when present, else q8 (model_quantized.onnx). */
  dtype: DataType;
  /** Absolute path of the ONNX file that will be loaded. */
  modelFile: string;
  /** Absolute paths of every file the encoder reads, the model first. */
  files: string[];
}

const JSON_FILES: Record<EncoderModality, string[]> = {
  text: ['config.json', 'tokenizer.json', 'tokenizer_config.json'],
  audio: ['config.json', 'preprocessor_config.json'],
  image: ['config.json', 'preprocessor_config.json'],
};

// CLIPVisionModelWithProjection reads vision_model.onnx (the Optimum export's name).
const MODEL_NAME: Record<EncoderModality, string> = { text: 'model', audio: 'model', image: 'vision_model' };

const WHAT_TO_DO =
  'Use a folder exported for transformers.js (Hugging Face Optimum `optimum-cli export onnx`, or a Hub repo with an onnx/ folder), with config.json, the tokenizer or preprocessor files and the ONNX model.';

export function modalityOf(family: EncoderFamily): EncoderModality {
  if ((TEXT_FAMILIES as readonly string[]).includes(family)) return 'text';
  if ((AUDIO_FAMILIES as readonly string[]).includes(family)) return 'audio';
  return 'image';
}

function readConfig(dir: string): EncoderConfig {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new SentiscopeError('file-missing', `The encoder folder has no config.json (${file}). ${WHAT_TO_DO}`, file);
  }
  return readModelJson(file) as EncoderConfig;
}

function familyOf(config: EncoderConfig, file: string): EncoderFamily {
  const type = config.model_type;
  const known: readonly string[] = [...TEXT_FAMILIES, ...AUDIO_FAMILIES, ...IMAGE_FAMILIES];
  if (typeof type === 'string' && known.includes(type)) return type as EncoderFamily;
  throw new SentiscopeError(
    'bad-model',
    `${file} names model_type "${String(type)}", which Sentiscope cannot use as an encoder plug-in. Supported: text ${TEXT_FAMILIES.join(', ')}; audio ${AUDIO_FAMILIES.join(', ')}; image ${IMAGE_FAMILIES.join(', ')}.`,
    file,
  );
}

/** The ONNX file and how transformers.js must be told to find it. */
function locateModel(dir: string, name: string): { subfolder: string; dtype: DataType; modelFile: string } {
  const candidates: { subfolder: string; dtype: DataType; file: string }[] = [];
  for (const dtype of ['fp32', 'q8'] as const) {
    const file = `${name}${dtype === 'q8' ? '_quantized' : ''}.onnx`;
    candidates.push({ subfolder: 'onnx', dtype, file: join(dir, 'onnx', file) });
    candidates.push({ subfolder: '', dtype, file: join(dir, file) });
  }
  const found = candidates.find((c) => existsSync(c.file) && statSync(c.file).isFile());
  if (found) return { subfolder: found.subfolder, dtype: found.dtype, modelFile: found.file };
  const expected = join(dir, 'onnx', `${name}.onnx`);
  throw new SentiscopeError(
    'file-missing',
    `The encoder folder has no ONNX model: expected ${expected} (or ${join(dir, `${name}.onnx`)}). ${WHAT_TO_DO}`,
    expected,
  );
}

/**
 * Inspect a pretrained-encoder folder without loading it. Throws SentiscopeError
 * ('file-missing') naming the first missing file, or ('bad-model') for an unusable config.
 */
export function inspectEncoderFolder(folder: string): EncoderFolder {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SentiscopeError('file-missing', `Encoder folder not found: ${dir}. Choose the folder that holds config.json.`, dir);
  }
  const configFile = join(dir, 'config.json');
  const config = readConfig(dir);
  const family = familyOf(config, configFile);
  const modality = modalityOf(family);
  const { subfolder, dtype, modelFile } = locateModel(dir, MODEL_NAME[modality]);
  const files = [modelFile];
  for (const name of JSON_FILES[modality]) {
    const file = join(dir, name);
    if (!existsSync(file)) {
      throw new SentiscopeError(
        'file-missing',
        `The ${family} encoder folder is missing ${name} (${file}); transformers.js needs it to ${name.startsWith('tokenizer') ? 'tokenize text' : name === 'config.json' ? 'build the model' : 'prepare the input'}. ${WHAT_TO_DO}`,
        file,
      );
    }
    files.push(file);
  }
  const classifier = modality === 'text' && (config.architectures ?? []).some((a) => a.endsWith('ForSequenceClassification'));
  return {
    dir,
    family,
    modality,
    task: classifier ? 'text-classification' : 'feature-extraction',
    config,
    subfolder,
    dtype,
    modelFile,
    files,
  };
}

/** Refuse a folder of the wrong modality for the encoder being opened. */
export function expectModality(folder: EncoderFolder, modality: EncoderModality): void {
  if (folder.modality === modality) return;
  throw new SentiscopeError(
    'bad-model',
    `${folder.dir} holds a ${folder.family} (${folder.modality}) model, not a ${modality} encoder: choose a ${modality} encoder folder.`,
    join(folder.dir, 'config.json'),
  );
}
