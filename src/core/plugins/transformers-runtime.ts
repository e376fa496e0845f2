// @huggingface/transformers set up for Sentiscope: local folders only, never the network.
//
// [Note: loading a local model folder]
// transformers.js treats a name that is not a valid Hub id (an absolute path is not one)
// as a path and reads `<path>/<file>` directly; a Hub-shaped name would instead be joined
// to env.localModelPath, so encoders are always opened by absolute path. The ONNX file is
// looked up as `<subfolder>/<name><suffix>.onnx`: subfolder defaults to "onnx" (the Hub
// layout); "" reads files at the folder's top level. dtype picks the suffix: fp32 -> none
// (model.onnx), q8 -> _quantized, fp16 -> _fp16. With allowRemoteModels false and
// local_files_only true a missing file is an error, never a download. The file cache is
// off: it is keyed by path and would only ever shadow the folder itself.

import { env } from '@huggingface/transformers';
import type { DataType, PretrainedModelOptions } from '@huggingface/transformers';
import type { ExecutionProvider } from '../models/execution-providers';

let configured = false;

/** Make every later transformers.js load offline and uncached (idempotent). */
export function useLocalModelsOnly(): void {
  if (configured) return;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  configured = true;
}

export interface LocalLoad {
  /** "onnx" (Hub layout) or "" (files at the top level). */
  subfolder: string;
  dtype: DataType;
  provider: ExecutionProvider;
  threads: number;
}

/** from_pretrained options for a local folder ([Note: loading a local model folder]). */
export function localModelOptions(load: LocalLoad): PretrainedModelOptions {
  useLocalModelsOnly();
  return {
    local_files_only: true,
    subfolder: load.subfolder,
    dtype: load.dtype,
    device: load.provider,
    session_options: { intraOpNumThreads: load.threads, interOpNumThreads: 1 },
  };
}

/** Options for tokenizers and processors, which read only JSON files. */
export function localFileOptions(): { local_files_only: true } {
  useLocalModelsOnly();
  return { local_files_only: true };
}
