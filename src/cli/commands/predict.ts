import { DEVICES, describeProvider, type Device } from '../../core/models/execution-providers';
import { predictCsv } from '../../core/models/batch-predict';
import { UsageError, oneOfOption, parseCommandArgs, requireOption, threadsOption, type Command } from '../command';
import { resolveModelOption } from '../model-option';
import { SHARD_OPTIONS, SHARD_USAGE, shardOption } from '../shard-option';

export const predictCommand: Command = {
  name: 'predict',
  usage: `predict --in IN.csv --out OUT.csv [--base DIR] [--model PACK] [--device auto|cpu|cuda|webgpu|dml|coreml] [--threads N] ${SHARD_USAGE}`,
  summary: 'predict sentiment and per-modality contributions for every row of a CSV',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      in: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string' },
      model: { type: 'string' },
      device: { type: 'string', default: 'auto' },
      threads: { type: 'string' },
      ...SHARD_OPTIONS,
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const device: Device = oneOfOption(values.device, '--device', DEVICES);
    const threads = threadsOption(values.threads);
    const shard = shardOption(values);
    const say = (line: string) => process.stderr.write(`sentiscope predict: ${line}\n`);
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
  },
};
