import { evaluateFiles } from '../../core/services/evaluate';
import { oneOfOption, parseCommandArgs, printResult, requireOption, type Command } from '../command';

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval --gold GOLD.csv --pred PRED.csv --scheme mosi|mvsa',
  summary: 'MMSA-convention metrics of predictions against gold labels, as JSON',
  async run(args) {
    const { values } = parseCommandArgs(args, {
      gold: { type: 'string' },
      pred: { type: 'string' },
      scheme: { type: 'string' },
    });
    const scheme = oneOfOption(values.scheme, '--scheme', ['mosi', 'mvsa'] as const);
    const metrics = await evaluateFiles(requireOption(values.gold, '--gold'), requireOption(values.pred, '--pred'), scheme);
    printResult(metrics);
  },
};
