// The sidecar beside every shard's output (`OUT.shard.json`): which shard of which input
// it is, so `sentiscope merge` can check the shards belong to one run and a re-run shard
// can tell its own earlier output from another run's. Readers of the CSV never see it.
//
// [Note: shard manifest]
// { "format": "sentiscope-shard", "version": 1, "command": "predict"|"features"|"analyze",
//   "output": "csv"|"json"|"features"|"project", "input": file name, "input_digest":
//   "sha256:...", "input_items": items in the whole input, "k": K, "n": N, "pack_id",
//   "pack_version", "items": items in this shard, "item_names": [...] (analyze: the media
//   files, in input order), "complete": true once every item is written }
// Features has no pack: pack_id "sentiscope-features", pack_version "1" or "1+sequences".
// Analyze: pack_id is the --model given ("default" without one), pack_version the
// segmentation mode, so shards with other settings are not merged.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { writeTextFileAtomic } from '../io/text-file';
import { type ShardSpec, shardError } from './shard-spec';

export const SHARD_FORMAT = 'sentiscope-shard';
export const SHARD_FORMAT_VERSION = 1;

export type ShardCommand = 'predict' | 'features' | 'analyze';
export type ShardOutputKind = 'csv' | 'json' | 'features' | 'project';

export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  version: number;
  command: ShardCommand;
  output: ShardOutputKind;
  input: string;
  input_digest: string;
  input_items: number;
  k: number;
  n: number;
  pack_id: string;
  pack_version: string;
  items: number;
  item_names?: string[];
  complete: boolean;
}

/** The sidecar of a shard output file or folder. */
export const manifestPathOf = (output: string) => `${output}.shard.json`;

/** sha256 of a file's bytes, streamed (a MOSEI-sized CSV need not fit in memory twice). */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((done, fail) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (err) =>
        fail(
          new SentiscopeError('file-unreadable', `${path} cannot be read (${(err as NodeJS.ErrnoException).code}): check the path.`, path),
        ),
      )
      .on('end', () => done());
  });
  return `sha256:${hash.digest('hex')}`;
}

/**
 * The digest of a list of media files (analyze): names and sizes in order. Hashing hours
 * of video in every shard would cost more than the shard's work; names and sizes tell
 * two runs over different inputs apart on any machine that sees the same files.
 */
export async function mediaListDigest(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new SentiscopeError('file-missing', `${file} does not exist: check the path.`, file);
    }
    hash.update(`${basename(file)}\u0000${size}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

export function newManifest(fields: Omit<ShardManifest, 'format' | 'version' | 'complete'>): ShardManifest {
  return { format: SHARD_FORMAT, version: SHARD_FORMAT_VERSION, ...fields, complete: false };
}

export async function writeManifest(output: string, manifest: ShardManifest): Promise<void> {
  await writeTextFileAtomic(manifestPathOf(output), JSON.stringify(manifest, null, 2) + '\n');
}

/** The sidecar of `output`, or null when there is none (refuses one that is not a shard manifest). */
export async function readManifest(output: string): Promise<ShardManifest | null> {
  const path = manifestPathOf(output);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  let m: Partial<ShardManifest>;
  try {
    m = JSON.parse(text);
  } catch {
    throw shardError(path, 'is not valid JSON: remove it and run the shard again');
  }
  const numbers = ['input_items', 'k', 'n', 'items'] as const;
  if (
    m.format !== SHARD_FORMAT ||
    typeof m.input_digest !== 'string' ||
    numbers.some((k) => !Number.isInteger(m[k])) ||
    typeof m.command !== 'string'
  ) {
    throw shardError(path, `is not a Sentiscope shard manifest (format "${SHARD_FORMAT}"): remove it and run the shard again`);
  }
  if (m.version !== SHARD_FORMAT_VERSION)
    throw shardError(
      path,
      `has shard format version ${m.version}; this Sentiscope reads ${SHARD_FORMAT_VERSION}: run the shard again with this version`,
    );
  return m as ShardManifest;
}

/** Whether an earlier manifest is this same shard of this same run (so its output can be resumed). */
export function sameShardRun(a: ShardManifest, b: ShardManifest): boolean {
  return (
    a.command === b.command &&
    a.output === b.output &&
    a.input_digest === b.input_digest &&
    a.input_items === b.input_items &&
    a.k === b.k &&
    a.n === b.n &&
    a.pack_id === b.pack_id &&
    a.pack_version === b.pack_version
  );
}

export const shardOfManifest = (m: ShardManifest): ShardSpec => ({ index: m.k, count: m.n });
