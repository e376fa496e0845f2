// The JSON files of a pretrained model folder (config.json, generation_config.json, ...):
// read synchronously, since folders are inspected before anything loads, and refused with
// the file's name when they are not a JSON object.

import { readFileSync } from 'node:fs';
import { SentiscopeError } from '../../shared/errors';

export function readModelJson(file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new SentiscopeError('bad-model', `${file} is not readable JSON (${why}): re-export or re-download the model folder.`, file);
  }
}
