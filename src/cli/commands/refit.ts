import { join } from 'node:path';
import { refitFromCsv } from '../../core/models/refit-pack';
import { refitFromProject } from '../../core/models/refit-project';
import {
  UsageError,
  parseCommandArgs,
  printResult,
  progressLine,
  renamedOption,
  requireOption,
  threadsOption,
  wholeNumberOption,
  type Command,
} from '../command';
import { cliDataDir } from '../data-dir';
import { cliModelRoots, resolveModelOption } from '../model-option';

export const refitCommand: Command = {
  name: 'refit',
  usage: 'refit --in LABELS.csv | --project P --id NEW_ID [--base DIR] [--model PACK] [--folds 5] [--seed 13] [--force] [--threads N]',
  summary: 'learn a head on top of a pack from your own labels (cross-validated) and install it as pack NEW_ID',
  async run(args) {
    const { values } = parseCommandArgs(args, {
      in: { type: 'string' },
      project: { type: 'string' },
      base: { type: 'string' },
      model: { type: 'string' },
      // The pack refitted was --from until --model meant a pack everywhere; kept for one release.
      from: { type: 'string' },
      id: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '13' },
      force: { type: 'boolean', default: false },
      threads: { type: 'string' },
    });
    if ((values.project === undefined) === (values.in === undefined)) {
      throw new UsageError('give one of --in LABELS.csv or --project P');
    }
    const id = requireOption(values.id, '--id');
    const source = renamedOption('refit', values, 'from', 'model');
    const say = progressLine('refit');
    const options = {
      id,
      model: await resolveModelOption(source),
      folds: wholeNumberOption(values.folds, '--folds', 2)!,
      seed: wholeNumberOption(values.seed, '--seed', 0)!,
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
    printResult(report);
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
