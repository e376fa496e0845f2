// `sentiscope features --shard K/N`: extract only rows i with i mod N = K into their own
// features folder, with DIR.shard.json beside it ([Note: shard manifest]). The folder is
// written whole at the end, so a re-run skips a finished shard and redoes an unfinished
// one from its start (its rows are not kept one by one as predict's are).

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileDigest, newManifest, readManifest, sameShardRun, writeManifest } from '../../shards/shard-manifest';
import { type ShardSpec, shardItems } from '../../shards/shard-spec';
import {
  FEATURES_FORMAT,
  FEATURES_FORMAT_VERSION,
  type FeatureExportSummary,
  type FeatureProgress,
  exportSegmentFeatures,
} from './feature-export';
import type { SegmentFeatureExtractor } from './segment-features';
import type { SegmentTable } from './segment-table';

export interface FeatureShardOptions {
  jobs?: number;
  sequences?: boolean;
  onProgress?: (progress: FeatureProgress) => void;
}

/** Null when an earlier run of this same shard had already finished the folder. */
export async function exportFeatureShard(
  table: SegmentTable,
  extractor: SegmentFeatureExtractor,
  outDir: string,
  shard: ShardSpec,
  options: FeatureShardOptions = {},
): Promise<FeatureExportSummary | null> {
  const rows = shardItems(table.rows, shard);
  const sidecar = newManifest({
    command: 'features',
    output: 'features',
    input: basename(table.file),
    input_digest: await fileDigest(table.file),
    input_items: table.rows.length,
    k: shard.index,
    n: shard.count,
    // No model pack: the run is told apart by the features format and whether it has sequences.
    pack_id: FEATURES_FORMAT,
    pack_version: `${FEATURES_FORMAT_VERSION}${options.sequences ? '+sequences' : ''}`,
    items: rows.length,
  });
  const earlier = await readManifest(outDir);
  if (earlier && sameShardRun(earlier, sidecar) && earlier.complete && existsSync(join(outDir, 'features.json'))) return null;
  await writeManifest(outDir, sidecar);
  const summary = await exportSegmentFeatures({ ...table, rows }, extractor, outDir, options);
  await writeManifest(outDir, { ...sidecar, complete: true });
  return summary;
}
