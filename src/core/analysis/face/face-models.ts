// The two face models (BlazeFace detector, mini-Xception expression net) as ONNX files in
// resources/models/face, converted from @vladmandic/human by scripts/convert-face-models.py.
// Files are checked against manifest.json before use, and each folder's sessions are created
// once and shared: creating a session costs far more than running one.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { SentiscopeError } from '../../../shared/errors';

export type FaceModelName = 'blazeface' | 'emotion';

export interface FaceModelEntry {
  file: string;
  description: string;
  sha256: string;
  inputs: { name: string; shape: (number | string)[] }[];
  outputs: { name: string; shape: (number | string)[] }[];
}

export interface FaceModelManifest {
  package: { name: string; version: string; license: string };
  licenses: Record<FaceModelName, string>;
  models: Record<FaceModelName, FaceModelEntry>;
}

export interface FaceModels {
  dir: string;
  manifest: FaceModelManifest;
  detector: ort.InferenceSession;
  expression: ort.InferenceSession;
}

const REGENERATE =
  'regenerate it with `/usr/bin/python3 scripts/convert-face-models.py node_modules/@vladmandic/human/models resources/models/face`';

/**
 * resources/models/face, found by walking up from this module (source tree, bundled
 * out/main, tests) and then from the working directory. Packaged apps pass their own dir.
 */
export function defaultFaceModelDir(): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, 'resources', 'models', 'face');
      if (existsSync(join(candidate, 'manifest.json'))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return resolve(process.cwd(), 'resources', 'models', 'face');
}

export async function readFaceModelManifest(dir: string): Promise<FaceModelManifest> {
  const path = join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new SentiscopeError('file-missing', `${path} is missing: the face models are not installed; ${REGENERATE}`, path);
  }
  try {
    const manifest = JSON.parse(text) as FaceModelManifest;
    if (!manifest.models?.blazeface?.sha256 || !manifest.models?.emotion?.sha256)
      throw new Error('models.blazeface / models.emotion missing');
    return manifest;
  } catch (err) {
    throw new SentiscopeError('bad-model', `${path} is not a face model manifest (${(err as Error).message}): ${REGENERATE}`, path);
  }
}

async function openSession(dir: string, entry: FaceModelEntry): Promise<ort.InferenceSession> {
  const path = join(dir, entry.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new SentiscopeError('file-missing', `${path} is missing: ${REGENERATE}`, path);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== entry.sha256) {
    throw new SentiscopeError(
      'bad-model',
      `${path} does not match its manifest (sha256 ${digest}, expected ${entry.sha256}): ${REGENERATE}`,
      path,
    );
  }
  try {
    // One intra-op thread: these nets are small, and on a 2-core machine a second thread
    // (ort's default: one per core) halves their speed while ffmpeg and the audio
    // features run beside them (BlazeFace 7 ms a frame against 14 ms; `sentiscope bench`).
    return await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (err) {
    throw new SentiscopeError('internal', `${path} could not be loaded by onnxruntime (${(err as Error).message}): ${REGENERATE}`, path);
  }
}

const cache = new Map<string, Promise<FaceModels>>();

/** Both sessions for `dir`, created on first use and shared afterwards. */
export function loadFaceModels(dir: string = defaultFaceModelDir()): Promise<FaceModels> {
  const key = resolve(dir);
  let models = cache.get(key);
  if (!models) {
    models = (async () => {
      const manifest = await readFaceModelManifest(key);
      const [detector, expression] = await Promise.all([
        openSession(key, manifest.models.blazeface),
        openSession(key, manifest.models.emotion),
      ]);
      return { dir: key, manifest, detector, expression };
    })();
    // A failed load is not cached: the user may fix the files and try again.
    models.catch(() => cache.delete(key));
    cache.set(key, models);
  }
  return models;
}
