// `sentiscope merge`: check the shard outputs are one whole run, then merge them the way
// their kind needs.

import { mergeCsvShards } from './merge-csv';
import { mergeFeatureShards } from './merge-features';
import { mergeProjectShards } from './merge-projects';
import { readShardSet } from './shard-set';

export interface MergeReport {
  command: string;
  input: string;
  shards: number;
  /** Rows (predict), rows (features) or media files (analyze) in the merged output. */
  items: number;
}

export async function mergeShardOutputs(files: readonly string[], out: string): Promise<MergeReport> {
  const shards = await readShardSet(files);
  const { manifest } = shards[0];
  let items: number;
  switch (manifest.output) {
    case 'csv':
      items = await mergeCsvShards(shards, out);
      break;
    case 'features':
      items = await mergeFeatureShards(shards, out);
      break;
    case 'project':
      items = await mergeProjectShards(shards, out);
      break;
    default:
      throw new Error(`merge of ${manifest.output} shards is not built`);
  }
  return { command: manifest.command, input: manifest.input, shards: shards.length, items };
}
