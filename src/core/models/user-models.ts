// The per-user models folder (<dataDir>/models), read beside resources/models: packs the
// user added from a folder or downloaded. A pack is checked whole (loadModelPack) before
// anything is copied, copied into a dot folder (which listings skip), checked again there
// and only then renamed to its manifest id, so a half-copied pack is never listed or run.
// Shipped packs are never changed from here.

import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelOrigin, ModelRoot } from '../../shared/model-catalog';
import { SentiscopeError } from '../../shared/errors';
import { defaultModelsDir, listModelPacks, loadModelPack, type ModelPack, type ModelPackListing } from './pack-loader';

export interface ModelRoots {
  /** resources/models (or SENTISCOPE_MODELS). */
  shipped: string;
  /** The per-user folder; null where none is in use (the CLI with SENTISCOPE_MODELS alone). */
  added: string | null;
  /**
   * Pretrained folders the user added (Whisper speech recognizers, encoder plug-ins), kept
   * apart so pack listings never see them. Default: "pretrained" beside `added`.
   */
  pretrained?: string | null;
}

export interface RootedListing extends ModelPackListing {
  root: ModelRoot;
}

/** Written into an added pack's folder: how it got there (the pack's own files are untouched). */
export const ORIGIN_FILE = '.sentiscope-origin.json';

/** A manifest id is a folder name: letters, digits, dot, dash, underscore, no leading dot. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function userModelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

export function userPretrainedDir(dataDir: string): string {
  return join(dataDir, 'pretrained');
}

/** Where added pretrained folders live, or null where no per-user folder is in use. */
export function pretrainedRoot(roots: ModelRoots): string | null {
  if (roots.pretrained !== undefined) return roots.pretrained;
  return roots.added === null ? null : join(dirname(roots.added), 'pretrained');
}

/** The shipped folder and `dataDir`'s models folder. */
export function modelRoots(dataDir: string | null): ModelRoots {
  return {
    shipped: defaultModelsDir(),
    added: dataDir === null ? null : userModelsDir(dataDir),
    pretrained: dataDir === null ? null : userPretrainedDir(dataDir),
  };
}

/** Every pack in both folders, shipped first, each with its root. */
export async function listRootedPacks(roots: ModelRoots): Promise<RootedListing[]> {
  const shipped = (await listModelPacks(roots.shipped)).map((l) => ({ ...l, root: 'shipped' as const }));
  const added = roots.added === null ? [] : (await listModelPacks(roots.added)).map((l) => ({ ...l, root: 'added' as const }));
  return [...shipped, ...added];
}

export async function readOrigin(dir: string): Promise<ModelOrigin | null> {
  try {
    return JSON.parse(await readFile(join(dir, ORIGIN_FILE), 'utf8')) as ModelOrigin;
  } catch {
    return null;
  }
}

function requireAddedRoot(roots: ModelRoots): string {
  if (roots.added === null) {
    throw new SentiscopeError(
      'bad-request',
      `No per-user models folder is in use (SENTISCOPE_MODELS pins the models to ${roots.shipped}). Set SENTISCOPE_DATA_DIR to say where added models go.`,
      roots.shipped,
    );
  }
  return roots.added;
}

/**
 * The folder to run for `spec` when it names an added pack by id; otherwise `spec` as it is
 * (a shipped id or a folder path, which the job resolves itself).
 */
export async function packFolderFor(spec: string, roots: ModelRoots): Promise<string> {
  if (roots.added === null || /[\\/]/.test(spec)) return spec;
  const listings = await listRootedPacks(roots);
  if (listings.some((l) => l.root === 'shipped' && l.id === spec)) return spec;
  return listings.find((l) => l.root === 'added' && l.id === spec)?.dir ?? spec;
}

/**
 * Moves a checked copy in `staging` (a dot folder inside the added root) into place as
 * <added>/<manifest id>, recording its origin. Removes `staging` whatever happens.
 */
export async function installStagedPack(staging: string, roots: ModelRoots, origin: ModelOrigin, expectedId?: string): Promise<ModelPack> {
  const added = requireAddedRoot(roots);
  try {
    const staged = await loadModelPack(staging);
    const id = staged.manifest.id;
    if (expectedId !== undefined && id !== expectedId) {
      throw new SentiscopeError(
        'bad-model',
        `The pack downloaded as "${expectedId}" has id "${id}" in its manifest.json. Check the model index (${origin.location}).`,
        join(staging, 'manifest.json'),
      );
    }
    await refuseClash(id, roots, join(staging, 'manifest.json'));
    await writeFile(join(staging, ORIGIN_FILE), JSON.stringify(origin, null, 2) + '\n');
    const target = join(added, id);
    try {
      await rename(staging, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw clashError(id, target, join(staging, 'manifest.json'));
      throw err;
    }
    return loadModelPack(target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function clashError(id: string, existing: string, file: string): SentiscopeError {
  return new SentiscopeError(
    'bad-request',
    `A model with id "${id}" is already installed (${existing}). Remove it first, or give the new pack another "id" in its manifest.json.`,
    file,
  );
}

async function refuseClash(id: string, roots: ModelRoots, file: string): Promise<void> {
  if (!SAFE_ID.test(id)) {
    throw new SentiscopeError(
      'bad-model',
      `The pack's id "${id}" cannot name a folder: use letters, digits, ".", "-" and "_" (edit "id" in ${file}).`,
      file,
    );
  }
  const taken = (await listRootedPacks(roots)).find((l) => l.id === id || basename(l.dir) === id);
  if (taken) throw clashError(id, taken.dir, file);
  const target = join(requireAddedRoot(roots), id);
  if (existsSync(target)) throw clashError(id, target, file);
  // One id space for `models remove ID`: a pretrained folder's id is taken too.
  const pretrained = pretrainedRoot(roots);
  if (pretrained !== null && existsSync(join(pretrained, id))) throw clashError(id, join(pretrained, id), file);
}

/** A new dot folder in the added root for a pack on its way in. */
export async function stagingFolder(roots: ModelRoots, purpose: 'incoming' | 'download'): Promise<string> {
  const added = requireAddedRoot(roots);
  await mkdir(added, { recursive: true });
  const dir = join(added, `.${purpose}-${randomUUID()}`);
  await mkdir(dir);
  return dir;
}

/**
 * The dot folder a resumable download fills, named by `key` so a later try finds what an
 * interrupted one left (listings skip it, as they skip staging folders).
 */
export async function resumableFolder(roots: ModelRoots, key: string): Promise<string> {
  const dir = join(requireAddedRoot(roots), `.partial-${key}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Copies the pack in `source` (its folder, or its manifest.json) into the per-user models
 * folder under its manifest id. The pack is checked before anything is copied: a folder
 * that is not a loadable pack is refused with the reason (naming a missing file), and so is
 * an id already installed.
 */
export async function addModelFromFolder(source: string, roots: ModelRoots): Promise<ModelPack> {
  let dir = resolve(source);
  if (existsSync(dir) && statSync(dir).isFile() && basename(dir) === 'manifest.json') dir = resolve(dir, '..');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SentiscopeError('file-missing', `${dir} is not a folder. Give the folder that holds the pack's manifest.json.`, dir);
  }
  const pack = await loadModelPack(dir);
  await refuseClash(pack.manifest.id, roots, join(dir, 'manifest.json'));
  const staging = await stagingFolder(roots, 'incoming');
  try {
    await cp(dir, staging, { recursive: true, force: true, filter: (src) => basename(src) !== ORIGIN_FILE });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw new SentiscopeError('file-unreadable', `Copying the pack ${dir} failed: ${(err as Error).message}. Nothing was added.`, dir);
  }
  return installStagedPack(staging, roots, { from: 'folder', location: dir, addedAt: new Date().toISOString() }, pack.manifest.id);
}

/** Removes an added pack (by id). Shipped packs are refused. Returns the folder removed. */
export async function removeAddedModel(id: string, roots: ModelRoots): Promise<string> {
  const listings = await listRootedPacks(roots);
  const added = listings.find((l) => l.root === 'added' && l.id === id);
  if (!added) {
    const shipped = listings.find((l) => l.root === 'shipped' && l.id === id);
    if (shipped) {
      throw new SentiscopeError(
        'bad-request',
        `"${id}" ships with Sentiscope (${shipped.dir}) and cannot be removed; only added models can.`,
        shipped.dir,
      );
    }
    const ids = listings.filter((l) => l.root === 'added').map((l) => l.id);
    throw new SentiscopeError(
      'not-found',
      `No added model "${id}" in ${roots.added ?? 'the per-user models folder'} (added: ${ids.length ? ids.join(', ') : 'none'}).`,
      roots.added,
    );
  }
  // Out of the listing first (a dot folder), then deleted.
  const doomed = join(requireAddedRoot(roots), `.removing-${randomUUID()}`);
  await rename(added.dir, doomed);
  await rm(doomed, { recursive: true, force: true });
  return added.dir;
}
