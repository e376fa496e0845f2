// The catalog `models catalog`, `models get` and the Models page's "Get" list read: the
// built-in RECOMMENDED_MODELS, or, when SENTISCOPE_CATALOG names a file, the JSON list in it
// (the same shape `sentiscope models catalog` prints). The variable exists to point
// the tests at a fake repo on a loopback Hub, and a site at models it mirrors; it is read
// per call, so a bad file is refused by name when it is used.

import { readFileSync } from 'node:fs';
import { RECOMMENDED_MODELS, type CatalogModel } from '../../shared/recommended-models';
import { SentiscopeError } from '../../shared/errors';
import { SAFE_ID } from './user-models';

export const CATALOG_ENV = 'SENTISCOPE_CATALOG';

/** A repo-relative path that stays inside the model folder. */
function safeRepoPath(path: unknown): boolean {
  if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.includes('\\')) return false;
  return path.split('/').every((p) => p !== '' && p !== '.' && p !== '..' && !p.startsWith('.'));
}

function entryProblems(value: Partial<CatalogModel>, i: number): string[] {
  const at = `entry ${i}`;
  const problems: string[] = [];
  if (typeof value?.id !== 'string' || !SAFE_ID.test(value.id)) problems.push(`${at}: "id" must be a folder name (letters, digits, . - _)`);
  if (value?.kind !== 'speech-recognizer') problems.push(`${at}: "kind" must be "speech-recognizer"`);
  if (typeof value?.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(value.repo))
    problems.push(`${at}: "repo" must be a Hub repo id (owner/name)`);
  if (typeof value?.revision !== 'string' || !/^[0-9a-f]{40}$/.test(value.revision))
    problems.push(`${at}: "revision" must be a commit (40 hex digits)`);
  if (!Array.isArray(value?.files) || value.files.length === 0 || !value.files.every(safeRepoPath))
    problems.push(`${at}: "files" must list paths inside the repo`);
  if (!Number.isInteger(value?.bytes) || (value?.bytes ?? -1) < 0) problems.push(`${at}: "bytes" must be a size in bytes`);
  if (!Array.isArray(value?.languages) || !value.languages.every((l) => typeof l === 'string'))
    problems.push(`${at}: "languages" must be a list of codes`);
  for (const key of ['license', 'goodFor', 'speedNote'] as const) {
    if (typeof value?.[key] !== 'string') problems.push(`${at}: "${key}" must be text`);
  }
  if (typeof value?.multilingual !== 'boolean') problems.push(`${at}: "multilingual" must be true or false`);
  if (value?.speedRtf !== null && typeof value?.speedRtf !== 'number') problems.push(`${at}: "speedRtf" must be a number or null`);
  return problems;
}

/** The catalog in use: SENTISCOPE_CATALOG's file when set, else the built-in one. */
export function recommendedModels(env: NodeJS.ProcessEnv = process.env): readonly CatalogModel[] {
  const file = env[CATALOG_ENV];
  if (!file) return RECOMMENDED_MODELS;
  const fix = `Point ${CATALOG_ENV} at a JSON list shaped like \`sentiscope models catalog\` prints, or unset it for the built-in catalog.`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SentiscopeError('bad-file', `${file} (${CATALOG_ENV}) is not a readable JSON file: ${(err as Error).message}. ${fix}`, file);
  }
  if (!Array.isArray(value)) throw new SentiscopeError('bad-file', `${file} (${CATALOG_ENV}) is not a JSON list. ${fix}`, file);
  const problems = value.flatMap((entry: Partial<CatalogModel>, i) => entryProblems(entry, i));
  const ids = value.map((entry: Partial<CatalogModel>) => entry?.id);
  const doubled = ids.find((id, i) => ids.indexOf(id) !== i);
  if (doubled !== undefined) problems.push(`id "${String(doubled)}" is listed twice`);
  if (problems.length) throw new SentiscopeError('bad-file', `${file} (${CATALOG_ENV}): ${problems.join('; ')}. ${fix}`, file);
  return value as CatalogModel[];
}
