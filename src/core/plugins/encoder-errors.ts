// A folder that passed inspection can still fail to load (a damaged ONNX file, a
// tokenizer.json from another library version): say which folder and what to do.

import { SentiscopeError } from '../../shared/errors';
import type { EncoderFolder } from './encoder-folder';

export function loadFailure(folder: EncoderFolder, err: unknown): SentiscopeError {
  if (err instanceof SentiscopeError) return err;
  const why = (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
  // transformers.js names the file it could not read in its message; fall back to the model.
  const named = folder.files.find((f) => why.includes(f)) ?? folder.modelFile;
  return new SentiscopeError(
    'bad-model',
    `Cannot load the ${folder.family} encoder in ${folder.dir}: ${why}. The file may be damaged or from an unsupported export: re-export or re-download the model folder.`,
    named,
  );
}

/** An output the encoder needs is not among the model's outputs. */
export function missingOutput(folder: EncoderFolder, wanted: string, present: readonly string[]): SentiscopeError {
  return new SentiscopeError(
    'bad-model',
    `${folder.modelFile} has no "${wanted}" output (it has ${present.join(', ') || 'none'}): export the ${folder.family} model with the standard Optimum task so it returns ${wanted}.`,
    folder.modelFile,
  );
}
