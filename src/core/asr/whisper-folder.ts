// A Whisper model folder in the layout Hugging Face's ONNX exports use (what transformers.js
// reads): encoder_model.onnx and decoder_model_merged.onnx, at the top level or under onnx/,
// with config.json, generation_config.json, preprocessor_config.json, tokenizer.json and
// tokenizer_config.json. The folder is checked whole before anything loads, so a missing
// file is named instead of surfacing as a library error halfway through a file.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { readModelJson } from '../io/model-json';

export interface WhisperFolder {
  dir: string;
  /** "" (files at the top level) or "onnx" (the Hub layout), as transformers.js is told. */
  subfolder: string;
  encoderFile: string;
  decoderFile: string;
  /** Language codes the model can be told to transcribe ("en", "zh"); [] for an English-only model. */
  languages: string[];
  multilingual: boolean;
  /** Seconds of audio one decoder pass reads (Whisper: 30). */
  chunkSeconds: number;
  /** Word timestamps need the decoder's cross-attentions and the alignment heads. */
  wordTimestamps: boolean;
  /** config.json's name_or_path, else the folder name. */
  name: string;
}

const WHAT_TO_DO =
  'Use a Whisper folder exported for transformers.js (Hugging Face Optimum `optimum-cli export onnx --task automatic-speech-recognition-with-past`, or a Hub repo such as onnx-community/whisper-base with its onnx/ folder).';

const JSON_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
] as const;

function locate(dir: string, name: string): { subfolder: string; file: string } {
  for (const subfolder of ['', 'onnx']) {
    const file = join(dir, subfolder, name);
    if (existsSync(file) && statSync(file).isFile()) return { subfolder, file };
  }
  const expected = join(dir, name);
  throw new SentiscopeError(
    'file-missing',
    `The Whisper folder is missing ${name} (expected ${expected} or ${join(dir, 'onnx', name)}). ${WHAT_TO_DO}`,
    expected,
  );
}

/** Checks a Whisper folder without loading it; throws naming the first missing or unusable file. */
export function inspectWhisperFolder(folder: string): WhisperFolder {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SentiscopeError(
      'file-missing',
      `Speech recognition model folder not found: ${dir}. Choose the folder that holds config.json.`,
      dir,
    );
  }
  for (const name of JSON_FILES) {
    const file = join(dir, name);
    if (!existsSync(file))
      throw new SentiscopeError('file-missing', `The Whisper folder is missing ${name} (${file}). ${WHAT_TO_DO}`, file);
  }
  const config = readModelJson(join(dir, 'config.json'));
  if (config.model_type !== 'whisper') {
    throw new SentiscopeError(
      'bad-model',
      `${join(dir, 'config.json')} names model_type "${String(config.model_type)}", not "whisper": Sentiscope's speech recognition runs Whisper models. ${WHAT_TO_DO}`,
      join(dir, 'config.json'),
    );
  }
  const encoder = locate(dir, 'encoder_model.onnx');
  const decoder = locate(dir, 'decoder_model_merged.onnx');
  if (encoder.subfolder !== decoder.subfolder) {
    throw new SentiscopeError(
      'bad-model',
      `${encoder.file} and ${decoder.file} are in different folders: keep both ONNX files together (top level or onnx/).`,
      decoder.file,
    );
  }
  const generationFile = join(dir, 'generation_config.json');
  const generation = readModelJson(generationFile);
  const preprocessor = readModelJson(join(dir, 'preprocessor_config.json'));
  const langToId = (generation.lang_to_id ?? {}) as Record<string, number>;
  const multilingual = generation.is_multilingual === true;
  const languages = Object.keys(langToId)
    .map((token) => /^<\|(.+)\|>$/.exec(token)?.[1])
    .filter((code): code is string => !!code);
  if (multilingual && !languages.length) {
    throw new SentiscopeError(
      'bad-model',
      `${generationFile} says the model is multilingual but lists no languages (lang_to_id). ${WHAT_TO_DO}`,
      generationFile,
    );
  }
  const chunkSeconds = Number(preprocessor.chunk_length ?? 30);
  return {
    dir,
    subfolder: encoder.subfolder,
    encoderFile: encoder.file,
    decoderFile: decoder.file,
    languages,
    multilingual,
    chunkSeconds: Number.isFinite(chunkSeconds) && chunkSeconds > 0 ? chunkSeconds : 30,
    wordTimestamps: Array.isArray(generation.alignment_heads) && generation.alignment_heads.length > 0,
    name: typeof config._name_or_path === 'string' && config._name_or_path ? config._name_or_path : dir.split(/[\\/]/).pop()!,
  };
}

/** The language code to decode with; refuses one the model does not know, listing those it does. */
export function checkLanguage(folder: WhisperFolder, language: string | undefined): string | undefined {
  if (!folder.multilingual) {
    if (language && language !== 'en') {
      throw new SentiscopeError(
        'bad-request',
        `${folder.dir} is an English-only Whisper model: it cannot transcribe "${language}". Use a multilingual model.`,
        folder.dir,
      );
    }
    return undefined;
  }
  const code = (language ?? 'en').toLowerCase();
  const aliases: Record<string, string> = { english: 'en', chinese: 'zh', mandarin: 'zh' };
  const resolved = aliases[code] ?? code;
  if (!folder.languages.includes(resolved)) {
    throw new SentiscopeError(
      'bad-request',
      `The Whisper model in ${folder.dir} has no language "${language}": it knows ${folder.languages.join(', ')}.`,
      join(folder.dir, 'generation_config.json'),
    );
  }
  return resolved;
}
