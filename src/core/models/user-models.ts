// The per-user models folder (<dataDir>/models), read beside resources/models: packs the
// user added from a folder or downloaded. A pack is checked whole (loadModelPack) before
// anything is copied, then installed through a staging folder ([Note: staged install]),
// checked again there and renamed to its manifest id, so a half-copied pack is never listed
// or run. Shipped packs are never changed from here.

import { existsSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelOrigin, ModelRoot } from '../../shared/model-catalog';
import { SentiscopeError } from '../../shared/errors';
import { defaultModelsDir, listModelPacks, loadModelPack, type ModelPack, type ModelPackListing } from './pack-loader';
import { ORIGIN_FILE, type StagedInstall, installNew, installStaged, removeInstalled, resumableStagingFolder } from './staged-install';

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

function noUserFolder(roots: ModelRoots): SentiscopeError {
  return new SentiscopeError(
    'bad-request',
    `No per-user models folder is in use (SENTISCOPE_MODELS pins the models to ${roots.shipped}). Set SENTISCOPE_DATA_DIR to say where added models go.`,
    roots.shipped,
  );
}

/** The per-user packs folder; refused where none is in use. */
export function requireAddedRoot(roots: ModelRoots): string {
  if (roots.added === null) throw noUserFolder(roots);
  return roots.added;
}

/** Where added pretrained folders go; refused where no per-user folder is in use. */
export function requirePretrainedRoot(roots: ModelRoots): string {
  const root = pretrainedRoot(roots);
  if (root === null) throw noUserFolder(roots);
  return root;
}

/**
 * The folder that already uses `id`, if any: one id space for packs (by manifest id or
 * folder name) and pretrained folders, so `models remove ID` is never ambiguous.
 */
export async function folderWithId(id: string, roots: ModelRoots): Promise<string | null> {
  const pack = (await listRootedPacks(roots)).find((l) => l.id === id || basename(l.dir) === id);
  if (pack) return pack.dir;
  for (const root of [roots.added, pretrainedRoot(roots)]) {
    if (root !== null && existsSync(join(root, id))) return join(root, id);
  }
  return null;
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
 * How a staged pack goes in: loaded whole in its staging folder (the manifest id matching
 * `expectedId` when one is given), then renamed to <added>/<manifest id>.
 */
export function packInstall(roots: ModelRoots, origin: ModelOrigin, expectedId?: string): StagedInstall<ModelPack> {
  return {
    origin,
    verify: async (staging) => {
      const added = requireAddedRoot(roots);
      const manifest = join(staging, 'manifest.json');
      const id = (await loadModelPack(staging)).manifest.id;
      if (expectedId !== undefined && id !== expectedId) {
        throw new SentiscopeError(
          'bad-model',
          `The pack downloaded as "${expectedId}" has id "${id}" in its manifest.json. Check the model index (${origin.location}).`,
          manifest,
        );
      }
      await refuseClash(id, roots, manifest);
      return { target: join(added, id), installed: loadModelPack };
    },
    clash: (target) => clashError(basename(target), target, target),
  };
}

/**
 * Moves a filled copy in `staging` (a dot folder inside the added root) into place as
 * <added>/<manifest id>, recording its origin. Removes `staging` whatever happens.
 */
export async function installStagedPack(staging: string, roots: ModelRoots, origin: ModelOrigin, expectedId?: string): Promise<ModelPack> {
  return installStaged(staging, packInstall(roots, origin, expectedId));
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
  const taken = await folderWithId(id, roots);
  if (taken !== null) throw clashError(id, taken, file);
}

/**
 * The dot folder a resumable download fills, named by `key` so a later try finds what an
 * interrupted one left (listings skip it, as they skip staging folders).
 */
export async function resumableFolder(roots: ModelRoots, key: string): Promise<string> {
  return resumableStagingFolder(requireAddedRoot(roots), key);
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
  const copy = async (staging: string) => {
    try {
      await cp(dir, staging, { recursive: true, force: true, filter: (src) => basename(src) !== ORIGIN_FILE });
    } catch (err) {
      throw new SentiscopeError('file-unreadable', `Copying the pack ${dir} failed: ${(err as Error).message}. Nothing was added.`, dir);
    }
  };
  const origin: ModelOrigin = { from: 'folder', location: dir, addedAt: new Date().toISOString() };
  return installNew(requireAddedRoot(roots), 'incoming', copy, packInstall(roots, origin, pack.manifest.id));
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
  await removeInstalled(added.dir);
  return added.dir;
}
