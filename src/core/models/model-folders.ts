// Adding and removing a model by folder or id, whatever it is: a fusion pack (a folder with
// manifest.json) goes to the per-user models folder, a Whisper or encoder folder (config.json
// in the Hugging Face ONNX layout) to the pretrained folder. What `sentiscope models add` /
// `remove` and the Models page call.

import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { addPretrainedFolder, listPretrained, removePretrained, type PretrainedKind } from './pretrained-models';
import { addModelFromFolder, listRootedPacks, pretrainedRoot, removeAddedModel, type ModelRoots } from './user-models';

export interface AddedModel {
  kind: 'fusion-pack' | PretrainedKind;
  id: string;
  /** Packs: the manifest's version; null for pretrained folders. */
  version: string | null;
  /** Where it was installed. */
  dir: string;
}

/**
 * Adds the model in `source`: a pack folder (or its manifest.json) by its manifest id, or a
 * Whisper / encoder folder (or its config.json) by `options.id` or its folder name. Each is
 * checked whole before anything is copied.
 */
export async function addModelFolder(source: string, roots: ModelRoots, options: { id?: string } = {}): Promise<AddedModel> {
  let dir = resolve(source);
  if (existsSync(dir) && statSync(dir).isFile() && ['manifest.json', 'config.json'].includes(basename(dir))) dir = resolve(dir, '..');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SentiscopeError(
      'file-missing',
      `${dir} is not a folder. Give the folder that holds a pack's manifest.json, or a Whisper or encoder model's config.json.`,
      dir,
    );
  }
  if (existsSync(join(dir, 'manifest.json'))) {
    if (options.id !== undefined) {
      throw new SentiscopeError(
        'bad-request',
        `${dir} is a model pack: its id is the "id" in its manifest.json, so --id does not apply.`,
        join(dir, 'manifest.json'),
      );
    }
    const pack = await addModelFromFolder(dir, roots);
    return { kind: 'fusion-pack', id: pack.manifest.id, version: pack.manifest.version, dir: pack.dir };
  }
  if (!existsSync(join(dir, 'config.json'))) {
    throw new SentiscopeError(
      'file-missing',
      `${dir} has neither a manifest.json (a Sentiscope model pack) nor a config.json (a Whisper or encoder model in the Hugging Face ONNX layout). Choose the folder that holds one of them.`,
      join(dir, 'config.json'),
    );
  }
  const added = await addPretrainedFolder(dir, roots, options);
  return { kind: added.kind, id: added.id, version: null, dir: added.dir };
}

/** Removes an added pack or pretrained folder by id; returns the folder removed. Shipped packs are refused. */
export async function removeModel(id: string, roots: ModelRoots): Promise<string> {
  const pretrained = await listPretrained(roots);
  if (pretrained.some((l) => l.id === id)) return removePretrained(id, roots);
  try {
    return await removeAddedModel(id, roots);
  } catch (err) {
    if (!(err instanceof SentiscopeError) || err.code !== 'not-found') throw err;
    const packs = (await listRootedPacks(roots)).filter((l) => l.root === 'added').map((l) => l.id);
    const ids = [...packs, ...pretrained.map((l) => l.id)];
    const where = [roots.added, pretrainedRoot(roots)].filter((d): d is string => d !== null);
    throw new SentiscopeError(
      'not-found',
      `No added model "${id}" in ${where.length ? where.join(' or ') : 'the per-user models folder'} (added: ${ids.length ? ids.join(', ') : 'none'}). See \`sentiscope models\`.`,
      where[0] ?? null,
    );
  }
}
