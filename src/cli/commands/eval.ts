import { evaluateFiles } from '../../core/services/evaluate';
import { UsageError, oneOfOption, parseCommandArgs, requireOption, type Command } from '../command';

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval --gold GOLD.csv --pred PRED.csv --scheme mosi|mvsa',
  summary: 'MMSA-convention metrics of predictions against gold labels, as JSON',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      gold: { type: 'string' },
      pred: { type: 'string' },
      scheme: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const scheme = oneOfOption(values.scheme, '--scheme', ['mosi', 'mvsa'] as const);
    const metrics = await evaluateFiles(requireOption(values.gold, '--gold'), requireOption(values.pred, '--pred'), scheme);
    process.stdout.write(JSON.stringify(metrics) + '\n');
  },
};
