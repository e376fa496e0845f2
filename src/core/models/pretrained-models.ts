// Pretrained model folders the user added: Whisper speech recognizers and encoder plug-ins
// (BERT-family text, wav2vec2/HuBERT audio, CLIP image) in the Hugging Face ONNX layout.
// They live in their own root (<dataDir>/pretrained/<id>), so pack listings never see them,
// with the same safety as packs ([Note: staged install]): the folder is inspected whole
// before anything is copied, copied into a dot folder (which listings skip), inspected again
// there and only then renamed into place, so a half-copied folder is never listed or run. A
// downloaded folder (model-download.ts, hub-download.ts) is inspected in its dot folder
// before it is renamed into place. Inspection reads JSON and checks files; nothing here
// loads a model (no transformers.js).

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { inspectWhisperFolder } from '../asr/whisper-folder';
import { AUDIO_FAMILIES, IMAGE_FAMILIES, TEXT_FAMILIES, inspectEncoderFolder } from '../plugins/encoder-folder';
import type { ModelOrigin, PretrainedSummary } from '../../shared/model-catalog';
import { SentiscopeError } from '../../shared/errors';
import { type StagedInstall, installNew, installStaged, readOrigin, removeInstalled } from './staged-install';
import { SAFE_ID, folderWithId, pretrainedRoot, requirePretrainedRoot, type ModelRoots } from './user-models';

export type PretrainedKind = 'speech-recognizer' | 'encoder';

export interface PretrainedFolderInfo {
  kind: PretrainedKind;
  /** config.json's _name_or_path, else the folder name. */
  name: string;
  summary: PretrainedSummary;
}

export interface PretrainedListing {
  /** The folder name under the pretrained root. */
  id: string;
  dir: string;
  kind: PretrainedKind;
  /** Null when the folder no longer passes inspection (see `error`). */
  info: PretrainedFolderInfo | null;
  error: SentiscopeError | null;
  origin: ModelOrigin | null;
}

export interface AddedPretrained {
  id: string;
  dir: string;
  kind: PretrainedKind;
  name: string;
}

const UNKNOWN_LICENSE = "unknown (see the model's card)";

/** Not copied: version control, caches, and weights for frameworks Sentiscope does not run (it runs the ONNX files). */
const NOT_COPIED = /^(\..*|pytorch_model.*\.bin|.*\.safetensors|tf_model.*\.h5|flax_model.*\.msgpack|rust_model\.ot|.*\.ckpt)$/;

function readConfig(dir: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Which inspector a folder is for, from config.json's model_type (a missing config is the encoder inspector's to name). */
function kindOf(config: Record<string, unknown> | null): PretrainedKind {
  return config?.model_type === 'whisper' ? 'speech-recognizer' : 'encoder';
}

/**
 * Checks a pretrained folder without loading it: a Whisper folder (config.json model_type
 * "whisper") or an encoder folder. Throws naming the first missing or unusable file.
 */
export function inspectPretrainedFolder(folder: string): PretrainedFolderInfo {
  const dir = resolve(folder);
  const config = readConfig(dir);
  const type = config?.model_type;
  if (kindOf(config) === 'speech-recognizer') {
    const whisper = inspectWhisperFolder(dir);
    return {
      kind: 'speech-recognizer',
      name: whisper.name,
      summary: {
        family: 'whisper',
        modality: 'speech',
        task: 'automatic-speech-recognition',
        dims: null,
        languages: whisper.languages,
        wordTimestamps: whisper.wordTimestamps,
      },
    };
  }
  const known: readonly string[] = [...TEXT_FAMILIES, ...AUDIO_FAMILIES, ...IMAGE_FAMILIES];
  if (config !== null && !(typeof type === 'string' && known.includes(type))) {
    const file = join(dir, 'config.json');
    throw new SentiscopeError(
      'bad-model',
      `${file} names model_type "${String(type)}", which Sentiscope cannot add: it takes Whisper speech recognizers (whisper) and encoders (text ${TEXT_FAMILIES.join(', ')}; audio ${AUDIO_FAMILIES.join(', ')}; image ${IMAGE_FAMILIES.join(', ')}), or a fusion pack folder with a manifest.json.`,
      file,
    );
  }
  const encoder = inspectEncoderFolder(dir);
  const labels = Object.values(encoder.config.id2label ?? {});
  // The vector the plug-in hands on, as the plug-ins size it (text-encoder.ts, image-encoder.ts).
  const dims =
    encoder.modality === 'image'
      ? (encoder.config.projection_dim ?? encoder.config.vision_config?.projection_dim)
      : encoder.task === 'text-classification'
        ? labels.length
        : (encoder.config.hidden_size ?? encoder.config.dim);
  const name = typeof config?._name_or_path === 'string' && config._name_or_path ? config._name_or_path : basename(dir);
  return {
    kind: 'encoder',
    name,
    summary: {
      family: encoder.family,
      modality: encoder.modality,
      task: encoder.task,
      dims: typeof dims === 'number' && dims > 0 ? dims : null,
      languages: [],
      wordTimestamps: false,
    },
  };
}

/** The `license:` of a model card's YAML front matter (README.md), if it has one. */
function cardLicense(dir: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(dir, 'README.md'), 'utf8');
  } catch {
    return null;
  }
  const front = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!front) return null;
  const lines = front[1].split(/\r?\n/);
  const field = (key: string): string | null => {
    const at = lines.findIndex((line) => line.startsWith(`${key}:`));
    if (at < 0) return null;
    const inline = lines[at].slice(key.length + 1).trim();
    // `license: [mit, apache-2.0]`, `license: mit`, or a block list on the next lines.
    const values: string[] = [];
    if (inline) values.push(...inline.replace(/^\[|\]$/g, '').split(','));
    else {
      for (const line of lines.slice(at + 1)) {
        const item = /^\s*-\s*(.+)$/.exec(line);
        if (!item) break;
        values.push(item[1]);
      }
    }
    const cleaned = values.map((v) => v.trim().replace(/^["']|["']$/g, '')).filter(Boolean);
    return cleaned.length ? cleaned.join(', ') : null;
  };
  const license = field('license');
  const name = field('license_name');
  return license === 'other' && name ? `other (${name})` : license;
}

/** The model card's license, else config.json's "license", else a pointer to the card. */
export function pretrainedLicense(dir: string): string {
  const card = cardLicense(dir);
  if (card) return card;
  const license = readConfig(dir)?.license;
  return typeof license === 'string' && license.trim() ? license.trim() : UNKNOWN_LICENSE;
}

/** The folder name, made into an id: runs of other characters become "-". */
export function pretrainedIdFor(dir: string): string {
  return basename(dir)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
}

function clashError(id: string, existing: string, source: string): SentiscopeError {
  return new SentiscopeError(
    'bad-request',
    `A model with id "${id}" is already installed (${existing}). Remove it first (sentiscope models remove ${id}), or add ${source} under another id (models add --id NAME).`,
    source,
  );
}

/** One id space for packs and pretrained folders, so `models remove ID` is never ambiguous. */
export async function refuseTakenId(id: string, roots: ModelRoots, source: string): Promise<void> {
  if (!SAFE_ID.test(id)) {
    throw new SentiscopeError(
      'bad-request',
      `"${id}" cannot name a model folder: use letters, digits, ".", "-" and "_", starting with a letter or digit (give another id with --id NAME).`,
      source,
    );
  }
  requirePretrainedRoot(roots);
  const taken = await folderWithId(id, roots);
  if (taken !== null) throw clashError(id, taken, source);
}

/**
 * How a filled Whisper or encoder folder goes in as <pretrained root>/<id>: the id still
 * free, the folder passing inspection (`unusable` says what a failure means to the user).
 */
function pretrainedInstall(
  id: string,
  roots: ModelRoots,
  origin: ModelOrigin,
  source: string,
  unusable: (reason: string) => SentiscopeError,
): StagedInstall<AddedPretrained> {
  return {
    origin,
    verify: async (staging) => {
      await refuseTakenId(id, roots, source);
      let info: PretrainedFolderInfo;
      try {
        info = inspectPretrainedFolder(staging);
      } catch (err) {
        throw unusable((err as Error).message);
      }
      const target = join(requirePretrainedRoot(roots), id);
      return { target, installed: (dir) => ({ id, dir, kind: info.kind, name: info.name }) };
    },
    clash: (target) => clashError(id, target, source),
  };
}

/**
 * Copies the Whisper or encoder folder `source` (or the folder of its config.json) into
 * <pretrained root>/<id>, id being `options.id` or the folder name made safe. The folder is
 * inspected before anything is copied: one missing a file is refused naming the file, and
 * nothing is left behind.
 */
export async function addPretrainedFolder(source: string, roots: ModelRoots, options: { id?: string } = {}): Promise<AddedPretrained> {
  let dir = resolve(source);
  if (existsSync(dir) && statSync(dir).isFile() && basename(dir) === 'config.json') dir = resolve(dir, '..');
  const root = requirePretrainedRoot(roots);
  inspectPretrainedFolder(dir);
  const id = options.id ?? pretrainedIdFor(dir);
  await refuseTakenId(id, roots, dir);
  const copy = async (staging: string) => {
    try {
      // dereference: a Hugging Face cache snapshot is links into its blobs folder.
      await cp(dir, staging, { recursive: true, dereference: true, filter: (src) => src === dir || !NOT_COPIED.test(basename(src)) });
    } catch (err) {
      throw new SentiscopeError('file-unreadable', `Copying ${dir} failed: ${(err as Error).message}. Nothing was added.`, dir);
    }
  };
  const origin: ModelOrigin = { from: 'folder', location: dir, addedAt: new Date().toISOString() };
  const notWhole = (reason: string) =>
    new SentiscopeError(
      'file-unreadable',
      `The copy of ${dir} is not whole (${reason}). Nothing was added; check the free disk space and try again.`,
      dir,
    );
  return installNew(root, 'incoming', copy, pretrainedInstall(id, roots, origin, dir, notWhole));
}

/**
 * Installs a downloaded Whisper or encoder folder (a dot folder the downloader filled) as
 * <pretrained root>/<id>, once it passes inspection. Removes `staging` whatever happens.
 */
export async function installStagedPretrained(
  staging: string,
  roots: ModelRoots,
  origin: ModelOrigin,
  id: string,
): Promise<AddedPretrained> {
  const unusable = (reason: string) =>
    new SentiscopeError(
      'bad-model',
      `The model "${id}" from ${origin.location} is not a usable pack, Whisper or encoder folder (${reason}). Nothing was installed; check the model index.`,
      origin.location,
    );
  return installStaged(staging, pretrainedInstall(id, roots, origin, origin.location, unusable));
}

/** Every folder in the pretrained root (dot folders are on their way in or out), by id. */
export async function listPretrained(roots: ModelRoots): Promise<PretrainedListing[]> {
  const root = pretrainedRoot(roots);
  if (root === null || !existsSync(root)) return [];
  const ids = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const listings: PretrainedListing[] = [];
  for (const id of ids) {
    const dir = join(root, id);
    const origin = await readOrigin(dir);
    try {
      const info = inspectPretrainedFolder(dir);
      listings.push({ id, dir, kind: info.kind, info, error: null, origin });
    } catch (err) {
      const error = err instanceof SentiscopeError ? err : new SentiscopeError('bad-model', `${dir}: ${(err as Error).message}`, dir);
      listings.push({ id, dir, kind: kindOf(readConfig(dir)), info: null, error, origin });
    }
  }
  return listings;
}

/** Removes the added pretrained folder `id`; returns its folder. */
export async function removePretrained(id: string, roots: ModelRoots): Promise<string> {
  const root = requirePretrainedRoot(roots);
  const found = (await listPretrained(roots)).find((l) => l.id === id);
  if (!found) throw new SentiscopeError('not-found', `No added pretrained model "${id}" in ${root}.`, root);
  await removeInstalled(found.dir);
  return found.dir;
}
