// Checking that a set of shard outputs is one whole run before anything is merged: one
// input (digest), one pack, one N, one command and output kind, every shard 0..N-1 given
// exactly once and finished.

import { resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { type ShardManifest, manifestPathOf, readManifest } from './shard-manifest';
import { shardSize } from './shard-spec';

export interface ShardOutput {
  file: string;
  manifest: ShardManifest;
}

const refuse = (why: string, file: string | null = null) => new SentiscopeError('bad-request', `cannot merge: ${why}`, file);

/** The shard outputs in shard order (0..N-1), or a refusal naming what is wrong. */
export async function readShardSet(files: readonly string[]): Promise<ShardOutput[]> {
  if (!files.length) throw refuse('no shard outputs given');
  const outputs: ShardOutput[] = [];
  for (const given of files) {
    const file = resolve(given);
    const manifest = await readManifest(file);
    if (!manifest)
      throw refuse(`${file} has no shard manifest (${manifestPathOf(file)}): give the outputs of a run with --shard K/N`, file);
    outputs.push({ file, manifest });
  }
  const first = outputs[0];
  const same = (what: string, of: (m: ShardManifest) => string | number) => {
    for (const o of outputs.slice(1)) {
      if (of(o.manifest) !== of(first.manifest)) {
        throw refuse(
          `${o.file} is of another run than ${first.file} (${what} ${of(o.manifest)} vs ${of(first.manifest)}): give the shards of one run`,
          o.file,
        );
      }
    }
  };
  same('command', (m) => `${m.command} ${m.output}`);
  same('input digest', (m) => m.input_digest);
  same('model', (m) => `${m.pack_id}@${m.pack_version}`);
  same('shard count N', (m) => m.n);
  same('input items', (m) => m.input_items);

  const n = first.manifest.n;
  const byIndex = new Map<number, ShardOutput>();
  for (const o of outputs) {
    const twice = byIndex.get(o.manifest.k);
    if (twice) throw refuse(`shard ${o.manifest.k}/${n} given twice (${twice.file} and ${o.file})`, o.file);
    byIndex.set(o.manifest.k, o);
  }
  const missing = Array.from({ length: n }, (_, k) => k).filter((k) => !byIndex.has(k));
  if (missing.length) {
    const named = missing.map((k) => `shard ${k}/${n}`).join(', ');
    throw refuse(
      `${named} missing (the run over ${first.manifest.input} has ${n} shards; run the missing one with --shard ${missing[0]}/${n} and give all ${n})`,
    );
  }
  const ordered = Array.from({ length: n }, (_, k) => byIndex.get(k)!);
  for (const o of ordered) {
    const m = o.manifest;
    if (!m.complete) throw refuse(`shard ${m.k}/${n} (${o.file}) is not finished: run it again (it resumes where it stopped)`, o.file);
    const expected = shardSize(m.input_items, { index: m.k, count: n });
    if (m.items !== expected)
      throw refuse(`shard ${m.k}/${n} (${o.file}) has ${m.items} items, the rule gives it ${expected}: run it again`, o.file);
  }
  return ordered;
}

/** Input order from shard order: item i is item floor(i / N) of shard i mod N. */
export function interleave<T>(perShard: readonly (readonly T[])[], total: number): T[] {
  const n = perShard.length;
  return Array.from({ length: total }, (_, i) => perShard[i % n][Math.floor(i / n)]);
}
