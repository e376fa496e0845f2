import { existsSync } from 'node:fs';
import { labelQueue } from '../../core/services/label-queue';
import { SentiscopeError } from '../../shared/errors';
import { UsageError, parseCommandArgs, type Command } from '../command';
import { openProjectOption } from '../project-option';

export const queueCommand: Command = {
  name: 'queue',
  usage: 'queue --project P [--n 50] [--model PACK]',
  summary: "the project's unlabelled segments that would help most to label next (most uncertain first, diverse), as JSON",
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      project: { type: 'string' },
      n: { type: 'string', default: '50' },
      model: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const n = Number(values.n);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--n must be a whole number >= 1 (got '${values.n}')`);
    // Reading a queue never creates a project.
    if (values.project !== undefined && !existsSync(values.project)) {
      throw new SentiscopeError('not-found', `${values.project} does not exist: give the path of a .sentiscope project.`, values.project);
    }
    const store = openProjectOption(values.project);
    try {
      const queue = labelQueue(store, { n, model: values.model });
      process.stdout.write(JSON.stringify({ project: store.path, model: values.model ?? null, n, ...queue }) + '\n');
      process.stderr.write(
        `sentiscope queue: ${queue.items.length} of ${queue.candidates} unlabelled segments with a prediction (${queue.labelled} labelled, ${queue.withoutPrediction} without a prediction)\n`,
      );
    } finally {
      store.close();
    }
  },
};
