// Getting a catalog model from the Hugging Face Hub (or a mirror in its URL layout), on the
// user's action only: `sentiscope models get ID` and the Models page's "Get" button.
//
// The Hub's metadata for the pinned revision, GET {hub}/api/models/{repo}/tree/{revision}?recursive=true
// (pages linked by a `Link: <…>; rel="next"` header), lists each file as
//   { "type": "file", "path": "onnx/encoder_model.onnx", "size": 32907388, "oid": "<git blob sha1>",
//     "lfs": { "oid": "<sha256>", "size": 32907388, "pointerSize": 135 } }
// with "lfs" only for files kept in Git LFS. Each needed file comes from
// {hub}/{repo}/resolve/{revision}/{path} (LFS files redirect to a CDN) and is checked against
// that size and the LFS sha256, or for a small file kept in git its git blob id, which is all
// the Hub lists for it.
//
// Files land in a dot folder of the per-user models folder named by the id and revision, so
// an interrupted get (Ctrl-C, a dropped connection, a full disk) leaves its part there and the
// next get of the same model resumes it with a Range request. Only when every file is whole
// and right is the folder inspected and renamed into place (installStagedPretrained, as
// `models download` does): nothing is ever half-installed.

import type { CatalogModel } from '../../shared/recommended-models';
import { SentiscopeError } from '../../shared/errors';
import type { AddedModel } from './model-folders';
import { type DownloadOptions, fetchFilesInto } from './model-download';
import { installStagedPretrained, refuseTakenId } from './pretrained-models';
import { recommendedModels } from './recommended-catalog';
import { resumableFolder, type ModelRoots } from './user-models';
import { httpGet, httpUrl, type ExpectedFile } from './verified-download';

export const DEFAULT_HUB = 'https://huggingface.co';
/** A tree listing is a page of entries; far more pages than any model repo needs means a loop. */
const MAX_TREE_PAGES = 100;

/** The Hub to use: `explicit` (--hub), else HF_ENDPOINT (the Hub clients' own variable, for mirrors), else huggingface.co. */
export function hubEndpoint(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const spec = explicit || env.HF_ENDPOINT || DEFAULT_HUB;
  return httpUrl(spec).href.replace(/\/+$/, '');
}

interface TreeEntry {
  type?: string;
  path?: string;
  size?: number;
  oid?: string;
  lfs?: { oid?: string; size?: number } | null;
}

function repoPath(repo: string): string {
  return repo.split('/').map(encodeURIComponent).join('/');
}

/** {hub}/{repo}/resolve/{revision}/{path}: one file of the pinned revision. */
export function hubFileUrl(hub: string, model: CatalogModel, path: string): URL {
  return httpUrl(`${hub}/${repoPath(model.repo)}/resolve/${model.revision}/${path.split('/').map(encodeURIComponent).join('/')}`);
}

/** The next page of a tree listing, from its Link header, if any. */
function nextPage(res: Response, base: URL): URL | null {
  const link = res.headers.get('link');
  const next = link?.split(',').find((part) => /;\s*rel="?next"?/.test(part));
  const target = next ? /<([^>]+)>/.exec(next)?.[1] : undefined;
  return target ? new URL(target, base) : null;
}

function expectedFile(entry: TreeEntry, where: string): ExpectedFile {
  const path = entry.path ?? '';
  if (entry.lfs) {
    if (!Number.isInteger(entry.lfs.size) || typeof entry.lfs.oid !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.lfs.oid)) {
      throw new SentiscopeError('bad-model', `${where} lists ${path} in LFS without a size and sha256. Check the Hub address.`, where);
    }
    return { path, bytes: entry.lfs.size!, checksum: { kind: 'sha256', value: entry.lfs.oid } };
  }
  if (!Number.isInteger(entry.size) || typeof entry.oid !== 'string' || !/^[0-9a-f]{40}$/i.test(entry.oid)) {
    throw new SentiscopeError('bad-model', `${where} lists ${path} without a size and git blob id. Check the Hub address.`, where);
  }
  return { path, bytes: entry.size!, checksum: { kind: 'git-blob', value: entry.oid } };
}

/** Size and checksum of each of `model.files` at its pinned revision, as the Hub lists them. */
export async function hubFileListing(hub: string, model: CatalogModel, signal?: AbortSignal): Promise<ExpectedFile[]> {
  const first = httpUrl(`${hub}/api/models/${repoPath(model.repo)}/tree/${model.revision}?recursive=true`);
  const entries = new Map<string, TreeEntry>();
  let url: URL | null = first;
  for (let page = 0; url && page < MAX_TREE_PAGES; page++) {
    const res = await httpGet(url, `the file list of ${model.repo} at revision ${model.revision}`, { signal });
    let value: unknown;
    try {
      value = await res.json();
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new SentiscopeError(
        'bad-model',
        `${url.href} is not the Hub's file list (not JSON: ${(err as Error).message}). Check the Hub address.`,
        url.href,
      );
    }
    if (!Array.isArray(value))
      throw new SentiscopeError('bad-model', `${url.href} is not the Hub's file list (not a JSON list). Check the Hub address.`, url.href);
    for (const entry of value as TreeEntry[]) if (entry?.type === 'file' && typeof entry.path === 'string') entries.set(entry.path, entry);
    url = nextPage(res, url);
  }
  return model.files.map((path) => {
    const entry = entries.get(path);
    if (!entry) {
      throw new SentiscopeError(
        'bad-model',
        `The Hub lists no ${path} in ${model.repo} at revision ${model.revision} (${first.href}). Nothing was installed; the catalog entry "${model.id}" or the Hub address is wrong.`,
        first.href,
      );
    }
    return expectedFile(entry, first.href);
  });
}

export function catalogEntry(id: string, catalog: readonly CatalogModel[] = recommendedModels()): CatalogModel {
  const model = catalog.find((m) => m.id === id);
  if (!model) {
    throw new SentiscopeError(
      'bad-request',
      `"${id}" is not in the model catalog (it lists: ${catalog.map((m) => m.id).join(', ') || 'nothing'}). See \`sentiscope models catalog\`.`,
    );
  }
  return model;
}

/**
 * Downloads the catalog model `request.id` from the Hub at its pinned revision into the
 * pretrained folder: every file checked against the Hub's size and checksum, the folder
 * inspected as `models add` inspects one, then renamed into place. Throws (having installed
 * nothing) on no network, an HTTP error, a checksum mismatch, a full disk, a cancel (the
 * signal) or an id already installed; a part already fetched is kept for the next try.
 */
export async function getCatalogModel(
  request: { id: string; hub?: string; catalog?: readonly CatalogModel[] },
  roots: ModelRoots,
  options: DownloadOptions = {},
): Promise<AddedModel> {
  const model = catalogEntry(request.id, request.catalog);
  const hub = hubEndpoint(request.hub);
  const source = `${hub}/${model.repo}/tree/${model.revision}`;
  // Refused before any byte is fetched; installStagedPretrained checks again at the end.
  await refuseTakenId(model.id, roots, source);
  const files = await hubFileListing(hub, model, options.signal);
  const partial = await resumableFolder(roots, `${model.id}-${model.revision}`);
  await fetchFilesInto(
    partial,
    files.map((file) => ({ file, url: hubFileUrl(hub, model, file.path) })),
    {
      ...options,
      source,
      resume: true,
      listing: 'the Hub',
      retry: `the part fetched is kept in ${partial}; run the same get again to resume.`,
    },
  );
  const added = await installStagedPretrained(
    partial,
    roots,
    { from: 'download', location: source, addedAt: new Date().toISOString() },
    model.id,
  );
  return { kind: added.kind, id: added.id, version: null, dir: added.dir };
}
