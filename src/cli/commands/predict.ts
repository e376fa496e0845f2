import { DEVICES, type Device } from '../../shared/devices';
import { describeProvider } from '../../core/models/execution-providers';
import { predictCsv } from '../../core/models/batch-predict';
import { formatShard } from '../../core/shards/shard-spec';
import { oneOfOption, parseCommandArgs, printResult, progressLine, requireOption, threadsOption, type Command } from '../command';
import { resolveModelOption } from '../model-option';
import { SHARD_OPTIONS, SHARD_USAGE, shardOption } from '../shard-option';

export const predictCommand: Command = {
  name: 'predict',
  usage: `predict --in IN.csv --out OUT.csv [--base DIR] [--model PACK] [--device ${DEVICES.join('|')}] [--threads N] ${SHARD_USAGE}`,
  summary: 'predict sentiment and per-modality contributions for every row of a CSV (written to --out; a JSON summary on stdout)',
  async run(args) {
    const { values } = parseCommandArgs(args, {
      in: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string' },
      model: { type: 'string' },
      device: { type: 'string', default: 'auto' },
      threads: { type: 'string' },
      ...SHARD_OPTIONS,
    });
    const device: Device = oneOfOption(values.device, '--device', DEVICES);
    const threads = threadsOption(values.threads);
    const shard = shardOption(values);
    const say = progressLine('predict');
    const report = await predictCsv({
      input: requireOption(values.in, '--in'),
      output: requireOption(values.out, '--out'),
      base: values.base,
      model: await resolveModelOption(values.model),
      device,
      threads,
      shard,
      onNote: say,
      onStart: ({ pack, provider, fallbacks, rows }) =>
        say(`model ${pack.manifest.id}@${pack.manifest.version} on ${describeProvider(provider, fallbacks)}, ${rows} rows`),
    });
    const absent = report.rowsWithAbsence ? ` (${report.rowsWithAbsence} with a modality absent)` : '';
    const resumed = report.resumed ? ` (${report.resumed} kept from an earlier run)` : '';
    const shardSaid = shard ? `shard ${shard.index}/${shard.count}: ` : '';
    say(`${shardSaid}${report.rows} rows -> ${report.output}${absent}${resumed}`);
    // The CSV is the output file; stdout carries what a script checks before reading it.
    printResult({ ...report, shard: shard ? formatShard(shard) : null });
  },
};
