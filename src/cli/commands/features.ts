import { resolve } from 'node:path';
import { type FeatureProgress, exportSegmentFeatures } from '../../core/analysis/features/feature-export';
import { readSegmentTable } from '../../core/analysis/features/segment-table';
import { SegmentFeatureExtractor } from '../../core/analysis/features/segment-features';
import { exportFeatureShard } from '../../core/analysis/features/feature-shard';
import { countOption, parseCommandArgs, printResult, requireOption, type Command } from '../command';
import { formatShard } from '../../core/shards/shard-spec';
import { SHARD_OPTIONS, SHARD_USAGE, shardOption } from '../shard-option';

export const featuresCommand: Command = {
  name: 'features',
  usage: `features --in IN.csv --out DIR [--base DIR] [--jobs N] [--sequences] ${SHARD_USAGE}`,
  summary: 'Per-segment text/audio/visual features as .npy + rows.csv, for training a model pack',
  async run(args) {
    const { values } = parseCommandArgs(args, {
      in: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string' },
      jobs: { type: 'string' },
      // Also the per-frame audio/visual sequences (ragged .npy + offsets) the seed architectures read.
      sequences: { type: 'boolean' },
      ...SHARD_OPTIONS,
    });
    const input = requireOption(values.in, '--in');
    const outDir = resolve(requireOption(values.out, '--out'));
    const jobs = countOption(values.jobs, '--jobs') ?? 2;
    const shard = shardOption(values);

    // The whole table is checked before any extraction starts.
    const table = await readSegmentTable(input, { base: values.base, command: 'features' });
    const extractor = await SegmentFeatureExtractor.create();
    const started = Date.now();
    let lastReport = 0;
    try {
      const options = {
        jobs,
        sequences: values.sequences === true,
        onProgress: ({ done, total, present }: FeatureProgress) => {
          const now = Date.now();
          if (done !== total && now - lastReport < 2000) return;
          lastReport = now;
          const seconds = ((now - started) / 1000).toFixed(0);
          process.stderr.write(
            `features: ${done}/${total} rows, ${seconds} s (present: text ${present.text}, audio ${present.audio}, visual ${present.visual})\n`,
          );
        },
      };
      const summary = shard
        ? await exportFeatureShard(table, extractor, outDir, shard, options)
        : await exportSegmentFeatures(table, extractor, outDir, options);
      if (!summary) {
        process.stderr.write(`features: shard ${shard ? formatShard(shard) : ''} already finished in ${outDir}\n`);
        printResult({ out: outDir, shard: shard ? formatShard(shard) : null, alreadyFinished: true });
        return;
      }
      process.stderr.write(`features: wrote ${summary.files.length} files to ${outDir}\n`);
      printResult({ out: outDir, rows: summary.rows, present: summary.present, absent: summary.absent });
    } finally {
      extractor.close();
    }
  },
};
