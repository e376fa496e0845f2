import { existsSync } from 'node:fs';
import { labelQueue } from '../../core/services/label-queue';
import { SentiscopeError } from '../../shared/errors';
import { parseCommandArgs, printResult, progressLine, wholeNumberOption, type Command } from '../command';
import { openProjectOption } from '../project-option';

export const queueCommand: Command = {
  name: 'queue',
  usage: 'queue --project P [--n 50] [--model PACK]',
  summary: "the project's unlabelled segments that would help most to label next (most uncertain first, diverse), as JSON",
  async run(args) {
    const { values } = parseCommandArgs(args, {
      project: { type: 'string' },
      n: { type: 'string', default: '50' },
      model: { type: 'string' },
    });
    const n = wholeNumberOption(values.n, '--n', 1)!;
    // Reading a queue never creates a project.
    if (values.project !== undefined && !existsSync(values.project)) {
      throw new SentiscopeError('not-found', `${values.project} does not exist: give the path of a .sentiscope project.`, values.project);
    }
    const store = openProjectOption(values.project);
    try {
      const queue = labelQueue(store, { n, model: values.model });
      printResult({ project: store.path, model: values.model ?? null, n, ...queue });
      progressLine('queue')(
        `${queue.items.length} of ${queue.candidates} unlabelled segments with a prediction (${queue.labelled} labelled, ${queue.withoutPrediction} without a prediction)`,
      );
    } finally {
      store.close();
    }
  },
};
