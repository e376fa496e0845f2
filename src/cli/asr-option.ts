// What `--asr SPEC` names (transcribe, analyze): a Whisper folder by its path, or one added with
// `sentiscope models add DIR` by its id (found in the per-user pretrained folder, the same
// roots `sentiscope models` lists).

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { listPretrained, pretrainedRoot, type ModelRoots } from '../core/models';
import { SentiscopeError } from '../shared/errors';
import { cliModelRoots } from './model-option';

/**
 * A folder path as it is (when it exists), else the folder of the added speech recognizer
 * with that id. Anything else is refused before any work starts, naming the folder searched
 * and the speech recognizers installed there.
 */
export async function resolveAsrOption(spec: string, roots: ModelRoots = cliModelRoots()): Promise<string> {
  if (existsSync(spec) && statSync(spec).isDirectory()) return spec;
  const root = pretrainedRoot(roots);
  const listings = await listPretrained(roots);
  const found = listings.find((l) => l.id === spec);
  if (found?.kind === 'speech-recognizer') {
    // A folder that no longer passes inspection is refused now, with the reason.
    if (found.error) throw found.error;
    return found.dir;
  }
  const recognizers = listings.filter((l) => l.kind === 'speech-recognizer').map((l) => l.id);
  const installed = `installed speech recognizers: ${recognizers.length ? recognizers.join(', ') : 'none'}`;
  const add = 'Give a Whisper model folder, or the id of one added with `sentiscope models add DIR` (see `sentiscope models`).';
  if (found) {
    throw new SentiscopeError(
      'bad-request',
      `"${spec}" is an encoder (${found.dir}), not a speech recognizer (${installed}). ${add}`,
      found.dir,
    );
  }
  const searched = root ?? 'no per-user folder: SENTISCOPE_MODELS pins the models; set SENTISCOPE_DATA_DIR';
  if (/[\\/]/.test(spec) || spec.startsWith('.')) {
    throw new SentiscopeError(
      'file-missing',
      `Speech recognition model folder not found: ${resolve(spec)} (and no added model by that id in ${searched}; ${installed}). ${add}`,
      resolve(spec),
    );
  }
  throw new SentiscopeError(
    'not-found',
    `No speech recognizer "${spec}": not a folder, and no added model by that id in ${searched} (${installed}). ${add}`,
    root ?? spec,
  );
}
