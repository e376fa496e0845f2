// --shard K/N | env [--shards N], shared by predict, features and analyze.

import { ShardSpecError, type ShardSpec, parseShardSpec } from '../core/shards/shard-spec';
import { UsageError } from './command';

export const SHARD_OPTIONS = {
  shard: { type: 'string' },
  shards: { type: 'string' },
} as const;

export const SHARD_USAGE = '[--shard K/N|env [--shards N]]';

export function shardOption(values: { shard?: string; shards?: string }): ShardSpec | undefined {
  if (values.shard === undefined) {
    if (values.shards !== undefined) throw new UsageError('--shards goes with --shard env (or --shard K/N)');
    return undefined;
  }
  try {
    return parseShardSpec(values.shard, values.shards);
  } catch (err) {
    if (err instanceof ShardSpecError) throw new UsageError(err.message);
    throw err;
  }
}
