// [Note: staged install]
// A model folder (a fusion pack, a Whisper or encoder folder) goes in whole or not at all.
// It is filled (copied or downloaded) into a dot folder beside its destination, which every
// listing skips, verified there, its origin recorded, and only then renamed into place: one
// rename inside one root, so on one file system. Whatever fails on the way, the staging
// folder is removed and the destination is as it was. Removal is the same in reverse: the
// folder leaves the listing by a rename into a dot folder before it is deleted.
// user-models.ts (packs), pretrained-models.ts (Whisper and encoder folders), refit-pack.ts,
// model-download.ts and hub-download.ts all install through here.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelOrigin } from '../../shared/model-catalog';

/** Written into an installed folder: how it got there (the model's own files are untouched). */
export const ORIGIN_FILE = '.sentiscope-origin.json';

export type StagingPurpose = 'incoming' | 'download';

export interface StagedPlacement<T> {
  /** Where the verified folder goes: a folder name in the root the staging folder sits in. */
  target: string;
  /** What the caller gets back, read from the folder once it is in place. */
  installed: (dir: string) => T | Promise<T>;
}

export interface StagedInstall<T> {
  /** Checks the filled staging folder and says where it goes; throws to refuse it. */
  verify: (staging: string) => Promise<StagedPlacement<T>> | StagedPlacement<T>;
  /** Recorded in the folder as ORIGIN_FILE just before the rename. */
  origin: ModelOrigin;
  /** The error for a target already taken when the rename comes (another install got there first). */
  clash: (target: string) => Error;
}

export async function readOrigin(dir: string): Promise<ModelOrigin | null> {
  try {
    return JSON.parse(await readFile(join(dir, ORIGIN_FILE), 'utf8')) as ModelOrigin;
  } catch {
    return null;
  }
}

/** A new, empty dot folder in `root` (made when missing) for a folder on its way in. */
export async function newStagingFolder(root: string, purpose: StagingPurpose): Promise<string> {
  await mkdir(root, { recursive: true });
  const dir = join(root, `.${purpose}-${randomUUID()}`);
  await mkdir(dir);
  return dir;
}

/**
 * The dot folder a resumable download fills, named by `key` so that a later try finds what
 * an interrupted one left. It is kept when a fetch fails, and removed by installStaged.
 */
export async function resumableStagingFolder(root: string, key: string): Promise<string> {
  const dir = join(root, `.partial-${key}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A new staging folder in `root`, filled by `fill`; removed again when `fill` throws. */
export async function fillStagingFolder(root: string, purpose: StagingPurpose, fill: (staging: string) => Promise<void>): Promise<string> {
  const staging = await newStagingFolder(root, purpose);
  try {
    await fill(staging);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return staging;
}

/**
 * Verifies the filled folder `staging`, records its origin and renames it to the target it
 * names. Removes `staging` whatever happens; a target that exists is never touched.
 */
export async function installStaged<T>(staging: string, install: StagedInstall<T>): Promise<T> {
  try {
    const { target, installed } = await install.verify(staging);
    await writeFile(join(staging, ORIGIN_FILE), JSON.stringify(install.origin, null, 2) + '\n');
    await mkdir(dirname(target), { recursive: true });
    // POSIX rename replaces an empty folder silently: a target that exists at all is taken.
    if (existsSync(target)) throw install.clash(target);
    try {
      await rename(staging, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw install.clash(target);
      throw err;
    }
    return await installed(target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** fillStagingFolder in `root`, then installStaged: the whole install of a new folder. */
export async function installNew<T>(
  root: string,
  purpose: StagingPurpose,
  fill: (staging: string) => Promise<void>,
  install: StagedInstall<T>,
): Promise<T> {
  return installStaged(await fillStagingFolder(root, purpose, fill), install);
}

/** Takes an installed folder out of its root's listing (a rename into a dot folder), then deletes it. */
export async function removeInstalled(dir: string): Promise<void> {
  const doomed = join(dirname(dir), `.removing-${randomUUID()}`);
  await rename(dir, doomed);
  await rm(doomed, { recursive: true, force: true });
}
