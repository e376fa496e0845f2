import { join } from 'node:path';
import { refitFromCsv } from '../../core/models/refit-pack';
import { refitFromProject } from '../../core/models/refit-project';
import { UsageError, parseCommandArgs, requireOption, threadsOption, type Command } from '../command';
import { cliDataDir } from '../data-dir';
import { cliModelRoots, resolveModelOption } from '../model-option';

/** --folds / --seed: a whole number, at least `min`. */
function wholeOption(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number >= ${min} (got '${value}')`);
  return n;
}

export const refitCommand: Command = {
  name: 'refit',
  usage: 'refit --in LABELS.csv | --project P --id NEW_ID [--base DIR] [--from PACK] [--folds 5] [--seed 13] [--force] [--threads N]',
  summary: 'learn a head on top of a pack from your own labels (cross-validated) and install it as pack NEW_ID',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      in: { type: 'string' },
      project: { type: 'string' },
      base: { type: 'string' },
      from: { type: 'string' },
      id: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '13' },
      force: { type: 'boolean', default: false },
      threads: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if ((values.project === undefined) === (values.in === undefined)) throw new UsageError('give one of --in LABELS.csv or --project P');
    const id = requireOption(values.id, '--id');
    const say = (line: string) => process.stderr.write(`sentiscope refit: ${line}\n`);
    const options = {
      id,
      model: await resolveModelOption(values.from),
      folds: wholeOption(values.folds!, '--folds', 2),
      seed: wholeOption(values.seed!, '--seed', 0),
      force: values.force,
      threads: threadsOption(values.threads),
      roots: cliModelRoots(),
      cacheDir: join(cliDataDir(), 'cache', 'refit-features'),
      command: ['sentiscope', 'refit', ...args].join(' '),
      onNote: say,
    };
    const report =
      values.project !== undefined
        ? await refitFromProject(values.project, options)
        : await refitFromCsv({ ...options, input: values.in!, base: values.base });
    process.stdout.write(JSON.stringify(report) + '\n');
    const { decision } = report.crossValidation;
    if (!report.installed) {
      say(`not installed: ${report.refused}`);
      return 1;
    }
    say(
      `${decision.metric} ${decision.before.toFixed(4)} -> ${decision.after.toFixed(4)} on held-out folds; installed ${report.id} at ${report.dir}`,
    );
    return 0;
  },
};
