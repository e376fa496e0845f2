// `sentiscope merge --out OUT SHARD_OUTPUT...`: the outputs of `--shard K/N` runs back
// into what one unsharded run writes, after checking they are one whole run.

import { resolve } from 'node:path';
import { mergeShardOutputs } from '../../core/shards/merge-shards';
import { UsageError, parseCommandArgs, printResult, requireOption, type Command } from '../command';

export const mergeCommand: Command = {
  name: 'merge',
  usage: 'merge --out OUT SHARD_OUTPUT...',
  summary: 'merge the outputs of predict/features/analyze --shard K/N runs into what one unsharded run writes',
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      { out: { type: 'string' } },
      { name: 'SHARD_OUTPUT', min: 1, max: Infinity, missing: 'give the shard outputs to merge' },
    );
    const out = resolve(requireOption(values.out, '--out'));
    if (positionals.some((p) => resolve(p) === out))
      throw new UsageError(`--out ${out} is one of the shard outputs: write the merge to another path`);
    const merged = await mergeShardOutputs(positionals, out);
    process.stderr.write(
      `sentiscope merge: ${merged.shards} shards of ${merged.input} (${merged.command}), ${merged.items} items -> ${out}\n`,
    );
    printResult({ out, ...merged });
  },
};
