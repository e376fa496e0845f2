// Merging `analyze --shard --project` files into one project: media in input order (the
// manifest's item_names interleaved back), each with its segments and its predictions,
// written to a temporary file and renamed into place, so a failed merge leaves nothing.
// Human labels are not part of an analyze run; a shard project that has some is refused
// rather than have them dropped or mixed.

import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { ProjectStore } from '../store';
import { type ShardOutput, interleave } from './shard-set';
import { shardError } from './shard-spec';

export async function mergeProjectShards(shards: readonly ShardOutput[], out: string): Promise<number> {
  if (existsSync(out)) throw new SentiscopeError('bad-request', `${out} already exists: give a new project file for --out`, out);
  const n = shards.length;
  const names = interleave(
    shards.map((s) => s.manifest.item_names ?? []),
    shards[0].manifest.input_items,
  );
  const temporary = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  const sources = shards.map((s) => ProjectStore.open(s.file));
  const target = ProjectStore.open(temporary, { name: basename(out).replace(/\.[^.]+$/, '') });
  try {
    target.transaction(() => {
      names.forEach((file, i) => {
        const shard = shards[i % n];
        const source = sources[i % n];
        const media = source.findMediaByPath(file);
        if (!media) throw shardError(shard.file, `has no media ${file}: run shard ${shard.manifest.k}/${n} again`);
        if (source.listLabels(media.id).length)
          throw shardError(shard.file, `has human labels on ${media.name}; an analyze shard has none: merge shards of a fresh analyze run`);
        const copy = target.addMedia({
          name: media.name,
          path: media.path,
          identity: media.identity,
          kind: media.kind,
          probe: media.probe,
        });
        for (const s of source.listSegments(media.id)) {
          const made = target.createSegment({
            mediaId: copy.id,
            clipId: s.clipId,
            start: s.start,
            end: s.end,
            source: s.source,
            text: s.text,
            words: s.words,
            split: s.split,
            aligned: s.aligned,
          });
          for (const p of source.listPredictionsForSegment(s.id)) {
            target.addPrediction({
              segmentId: made.id,
              modelId: p.modelId,
              modelVersion: p.modelVersion,
              score: p.score,
              probabilities: p.probabilities,
              contributions: p.contributions,
            });
          }
        }
      });
    });
  } catch (err) {
    target.close();
    await rm(temporary, { force: true });
    throw err;
  } finally {
    for (const s of sources) s.close();
  }
  target.close();
  await rename(temporary, out);
  return names.length;
}
