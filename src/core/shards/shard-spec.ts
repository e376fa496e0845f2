// Which share of a batch one shard processes (`--shard K/N`, `--shard env`). The rule is
// item i (0-based, in input order) belongs to shard i mod N: it depends only on the
// item's position and N, never on the machine or on which other shards ran, and every
// item lands in exactly one shard. `sentiscope merge` undoes it by interleaving.

import { SentiscopeError } from '../../shared/errors';

export interface ShardSpec {
  /** 0-based shard index K. */
  index: number;
  /** Number of shards N. */
  count: number;
}

/** Where a shard spec came from, for the error when it is wrong. */
export type ShardEnv = Readonly<Record<string, string | undefined>>;

const whole = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

export class ShardSpecError extends Error {}

function checked(index: number | null, count: number | null, what: string): ShardSpec {
  if (count === null || count < 1) throw new ShardSpecError(`${what}: the shard count must be a whole number >= 1`);
  if (index === null || index >= count) throw new ShardSpecError(`${what}: the shard index must be a whole number from 0 to ${count - 1}`);
  return { index, count };
}

/**
 * `K/N`, or `env`: SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (or `shards`), else
 * JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) with `shards`. An explicit `shards`
 * wins over SLURM_ARRAY_TASK_COUNT, so one failed task can be re-submitted alone
 * (`sbatch --array=2`, whose task count is 1). Throws ShardSpecError (a usage mistake).
 */
export function parseShardSpec(value: string, shards: string | undefined, env: ShardEnv = process.env): ShardSpec {
  const count = shards === undefined ? null : whole(shards);
  if (shards !== undefined && (count === null || count < 1))
    throw new ShardSpecError(`--shards must be a whole number >= 1 (got '${shards}')`);
  if (value === 'env') {
    if (env.SLURM_ARRAY_TASK_ID !== undefined) {
      return checked(
        whole(env.SLURM_ARRAY_TASK_ID),
        count ?? whole(env.SLURM_ARRAY_TASK_COUNT),
        `--shard env (SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID}, SLURM_ARRAY_TASK_COUNT=${env.SLURM_ARRAY_TASK_COUNT ?? ''}${count === null ? '' : `, --shards ${count}`})`,
      );
    }
    if (env.JOB_COMPLETION_INDEX !== undefined) {
      if (count === null)
        throw new ShardSpecError("--shard env with JOB_COMPLETION_INDEX needs --shards N (the Indexed Job's completions)");
      return checked(
        whole(env.JOB_COMPLETION_INDEX),
        count,
        `--shard env (JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX}, --shards ${count})`,
      );
    }
    throw new ShardSpecError(
      '--shard env: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set (run it as a Slurm array task or a Kubernetes Indexed Job, or give --shard K/N)',
    );
  }
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new ShardSpecError(`--shard must be K/N (e.g. 0/4) or env (got '${value}')`);
  if (count !== null && count !== Number(m[2])) throw new ShardSpecError(`--shard ${value} and --shards ${count} disagree`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${value}`);
}

export const formatShard = (s: ShardSpec) => `${s.index}/${s.count}`;

/** Whether item `position` (0-based, in input order) is this shard's. */
export const inShard = (position: number, shard: ShardSpec) => position % shard.count === shard.index;

/** This shard's items, in input order. */
export function shardItems<T>(items: readonly T[], shard: ShardSpec | undefined): T[] {
  return shard ? items.filter((_, i) => inShard(i, shard)) : [...items];
}

/** How many of `total` items shard K of N gets. */
export const shardSize = (total: number, shard: ShardSpec) => (total > shard.index ? Math.ceil((total - shard.index) / shard.count) : 0);

/** A SentiscopeError for a shard output that cannot be used, naming it. */
export const shardError = (file: string, why: string) => new SentiscopeError('bad-file', `${file}: ${why}`, file);
