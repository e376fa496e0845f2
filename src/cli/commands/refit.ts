import { refitFromCsv } from '../../core/models/refit-pack';
import { SentiscopeError } from '../../shared/errors';
import {
  parseCommandArgs,
  printResult,
  progressLine,
  renamedOption,
  requireOption,
  threadsOption,
  wholeNumberOption,
  type Command,
} from '../command';
import { cliModelRoots, resolveModelOption } from '../model-option';

export const refitCommand: Command = {
  name: 'refit',
  usage: 'refit --in LABELS.csv --id NEW_ID [--base DIR] [--model PACK] [--folds 5] [--seed 13] [--force] [--threads N]',
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
    if (values.project !== undefined) {
      throw new SentiscopeError(
        'bad-request',
        `refit --project is not built yet: export the project's labelled segments to a CSV (id, text/audio/video, label or label_class, group) and give it with --in.`,
        values.project,
      );
    }
    const input = requireOption(values.in, '--in');
    const id = requireOption(values.id, '--id');
    const source = renamedOption('refit', values, 'from', 'model');
    const say = progressLine('refit');
    const report = await refitFromCsv({
      input,
      id,
      base: values.base,
      model: await resolveModelOption(source),
      folds: wholeNumberOption(values.folds, '--folds', 2)!,
      seed: wholeNumberOption(values.seed, '--seed', 0)!,
      force: values.force,
      threads: threadsOption(values.threads),
      roots: cliModelRoots(),
      command: ['sentiscope', 'refit', ...args].join(' '),
      onNote: say,
    });
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
