// Downloading a model pack (or a Whisper / encoder folder) by id, only when the user asks ([Note: offline by default]:
// there is no built-in index URL, so nothing is fetched unless the user gives one).
// A model index is a JSON file listing each pack's files with their URL, size and sha256:
//
//   { "format": "sentiscope-model-index", "formatVersion": 1,
//     "models": [ { "id": "late-fusion-v2", "version": "2.0.0", "files": [
//       { "path": "manifest.json", "url": "late-fusion-v2/manifest.json", "bytes": 11436, "sha256": "…" }, … ] } ] }
//
// URLs may be relative to the index. Each file streams into a dot folder of the per-user
// models folder while its sha256 is computed; a wrong size or checksum, or a connection
// that breaks, removes the folder, so nothing is installed ([Note: staged install]). The
// whole pack is then checked (loadModelPack) and renamed into place (installStagedPack). An
// entry with config.json instead of manifest.json is a pretrained folder: inspected and
// renamed into the pretrained folder (installStagedPretrained).

import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { ModelDownloadProgress } from '../../shared/model-catalog';
import { SentiscopeError } from '../../shared/errors';
import type { AddedModel } from './model-folders';
import type { ModelPack } from './pack-loader';
import { installStagedPretrained } from './pretrained-models';
import { fillStagingFolder } from './staged-install';
import { installStagedPack, requireAddedRoot, type ModelRoots } from './user-models';
import { type ExpectedFile, type FetchFileOptions, fetchVerifiedFile, httpGet, httpUrl } from './verified-download';

export const MODEL_INDEX_FORMAT = 'sentiscope-model-index';
export const MODEL_INDEX_FORMAT_VERSION = 1;
/** An index is a short list; anything bigger is not one. */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;

export interface ModelIndexFile {
  /** Where the file goes in the pack folder (relative, '/'-separated). */
  path: string;
  /** Absolute, or relative to the index URL. */
  url: string;
  bytes: number;
  sha256: string;
}

export interface ModelIndexEntry {
  id: string;
  version?: string;
  files: ModelIndexFile[];
}

export interface ModelIndex {
  format: typeof MODEL_INDEX_FORMAT;
  formatVersion: number;
  models: ModelIndexEntry[];
}

export interface DownloadOptions {
  onProgress?: (progress: ModelDownloadProgress) => void;
  signal?: AbortSignal;
}

export interface FileToFetch {
  file: ExpectedFile;
  url: URL;
}

/**
 * Fetches every one of `files` into `folder`, each checked against its size and checksum as
 * it streams (verified-download.ts), reporting progress over them all; `source` (the index or
 * the Hub listing) is what an error names. `models download` and `models get` both fetch so.
 */
export async function fetchFilesInto(
  folder: string,
  files: readonly FileToFetch[],
  options: DownloadOptions & Omit<FetchFileOptions, 'onBytes'> & { source: string },
): Promise<void> {
  const { onProgress, source, ...fetchOptions } = options;
  const total = files.reduce((sum, f) => sum + f.file.bytes, 0);
  const progress: ModelDownloadProgress = { file: null, bytes: 0, total, percent: 0 };
  const report = () => onProgress?.({ ...progress });
  report();
  for (const { file, url } of files) {
    progress.file = file.path;
    report();
    const dest = join(folder, normalize(file.path));
    if (!dest.startsWith(folder + sep)) throw new SentiscopeError('bad-model', `${file.path} would land outside the model folder.`, source);
    await fetchVerifiedFile(url, dest, file, {
      ...fetchOptions,
      onBytes: (n) => {
        progress.bytes += n;
        const percent = total === 0 ? 100 : Math.floor((progress.bytes / total) * 100);
        if (percent !== progress.percent) {
          progress.percent = percent;
          report();
        }
      },
    });
  }
  progress.file = null;
  progress.percent = 100;
  report();
}

/** A pack-relative path that stays inside the pack folder. */
function safeRelative(path: unknown): path is string {
  if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  const parts = path.split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.startsWith('.'));
}

function indexProblems(value: unknown): string[] {
  const v = value as Partial<ModelIndex> | null;
  if (!v || typeof v !== 'object') return ['it is not a JSON object'];
  if (v.format !== MODEL_INDEX_FORMAT) return [`"format" is ${JSON.stringify(v.format)}, not "${MODEL_INDEX_FORMAT}"`];
  if (v.formatVersion !== MODEL_INDEX_FORMAT_VERSION)
    return [`"formatVersion" is ${JSON.stringify(v.formatVersion)}; this build reads ${MODEL_INDEX_FORMAT_VERSION}`];
  if (!Array.isArray(v.models)) return ['"models" must be a list'];
  const problems: string[] = [];
  v.models.forEach((m: Partial<ModelIndexEntry>, i) => {
    if (typeof m?.id !== 'string' || m.id === '') problems.push(`models[${i}] has no "id"`);
    if (!Array.isArray(m?.files) || m.files.length === 0) {
      problems.push(`models[${i}] lists no "files"`);
      return;
    }
    if (!m.files.some((f) => f?.path === 'manifest.json' || f?.path === 'config.json')) {
      problems.push(`models[${i}] has neither manifest.json (a pack) nor config.json (a Whisper or encoder folder) among its files`);
    }
    m.files.forEach((f: Partial<ModelIndexFile>, j) => {
      const where = `models[${i}].files[${j}]`;
      if (!safeRelative(f?.path)) problems.push(`${where}.path must be a relative path inside the pack`);
      if (typeof f?.url !== 'string' || f.url === '') problems.push(`${where}.url is missing`);
      if (!Number.isInteger(f?.bytes) || (f?.bytes ?? -1) < 0) problems.push(`${where}.bytes must be a size in bytes`);
      if (typeof f?.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(f.sha256)) problems.push(`${where}.sha256 must be 64 hex digits`);
    });
  });
  return problems;
}

/** Fetches and checks a model index. */
export async function fetchModelIndex(indexUrl: string, signal?: AbortSignal): Promise<ModelIndex> {
  const url = httpUrl(indexUrl);
  const res = await httpGet(url, 'the model index', { signal });
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_INDEX_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new SentiscopeError('bad-model', `${url.href} is ${declared} bytes: too big for a model index. Check the address.`, url.href);
  }
  let value: unknown;
  try {
    value = JSON.parse(await res.text());
  } catch (err) {
    throw new SentiscopeError('bad-model', `${url.href} is not a model index (not JSON: ${(err as Error).message}).`, url.href);
  }
  const problems = indexProblems(value);
  if (problems.length) throw new SentiscopeError('bad-model', `${url.href} is not a usable model index: ${problems.join('; ')}.`, url.href);
  return value as ModelIndex;
}

/**
 * Downloads the pack `id` listed in the model index at `indexUrl` into the per-user models
 * folder, reporting progress as bytes arrive. Throws (having installed nothing) on a wrong
 * checksum or size, a broken connection, a pack that does not load, or an id already installed.
 */
export async function downloadModel(
  request: { indexUrl: string; id: string },
  roots: ModelRoots,
  options: DownloadOptions = {},
): Promise<ModelPack> {
  const staging = await downloadToStaging(request, roots, options);
  return installStagedPack(staging, roots, originOf(request), request.id);
}

/**
 * downloadModel for whatever the index lists under `id`: a pack (manifest.json) goes to the
 * per-user models folder, a Whisper or encoder folder (config.json) to the pretrained folder.
 */
export async function downloadModelFolder(
  request: { indexUrl: string; id: string },
  roots: ModelRoots,
  options: DownloadOptions = {},
): Promise<AddedModel> {
  const staging = await downloadToStaging(request, roots, options);
  if (existsSync(join(staging, 'manifest.json'))) {
    const pack = await installStagedPack(staging, roots, originOf(request), request.id);
    return { kind: 'fusion-pack', id: pack.manifest.id, version: pack.manifest.version, dir: pack.dir };
  }
  const added = await installStagedPretrained(staging, roots, originOf(request), request.id);
  return { kind: added.kind, id: added.id, version: null, dir: added.dir };
}

function originOf(request: { indexUrl: string }) {
  return { from: 'download' as const, location: request.indexUrl, addedAt: new Date().toISOString() };
}

/** Fetches every file of `id` into a new dot folder, checking sizes and checksums; returns the folder. */
async function downloadToStaging(request: { indexUrl: string; id: string }, roots: ModelRoots, options: DownloadOptions): Promise<string> {
  const index = await fetchModelIndex(request.indexUrl, options.signal);
  const entry = index.models.find((m) => m.id === request.id);
  if (!entry) {
    throw new SentiscopeError(
      'not-found',
      `The model index ${request.indexUrl} has no model "${request.id}" (it lists: ${index.models.map((m) => m.id).join(', ') || 'none'}).`,
      request.indexUrl,
    );
  }
  const files = entry.files.map((f) => ({
    file: { path: f.path, bytes: f.bytes, checksum: { kind: 'sha256' as const, value: f.sha256 } },
    url: httpUrl(f.url, request.indexUrl),
  }));
  return fillStagingFolder(requireAddedRoot(roots), 'download', (staging) =>
    fetchFilesInto(staging, files, { ...options, source: request.indexUrl, listing: 'the model index', retry: 'try again.' }),
  );
}
