// `sentiscope eval`: MMSA-convention metrics of a prediction file against a gold file.

import { resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { mosiMetrics, type MosiMetrics } from '../../shared/metrics/mosi';
import { mvsaMetrics, type MvsaMetrics } from '../../shared/metrics/mvsa';
import { readEvalValues, type EvalScheme, type EvalValue } from '../io/evaluation-csv';
import { readTextFile } from '../io/text-file';

export type Evaluation = (MosiMetrics | MvsaMetrics) & { n: number };

const GOLD_COLUMNS = ['label'];
const PRED_COLUMNS = { mosi: ['pred_score', 'label'], mvsa: ['pred_label', 'label'] };

/** Gold and predicted values in gold order; every labelled gold row must have a prediction. */
function pairUp<S extends EvalScheme>(
  gold: Map<string, EvalValue<S>>,
  pred: Map<string, EvalValue<S>>,
  predFile: string,
): { yTrue: EvalValue<S>[]; yPred: EvalValue<S>[] } {
  const missing = [...gold.keys()].filter((id) => !pred.has(id));
  if (missing.length) {
    throw new SentiscopeError(
      'bad-csv',
      `${predFile} has no prediction for ${missing.length} of ${gold.size} gold rows (first: ${missing.slice(0, 3).join(', ')}): ` +
        'predict every gold row, or evaluate against a gold file with only those rows.',
      predFile,
    );
  }
  const ids = [...gold.keys()];
  return { yTrue: ids.map((id) => gold.get(id)!), yPred: ids.map((id) => pred.get(id)!) };
}

export async function evaluateFiles(goldPath: string, predPath: string, scheme: EvalScheme): Promise<Evaluation> {
  const goldFile = resolve(goldPath);
  const predFile = resolve(predPath);
  const gold = readEvalValues(await readTextFile(goldFile), goldFile, scheme, GOLD_COLUMNS);
  const pred = readEvalValues(await readTextFile(predFile), predFile, scheme, PRED_COLUMNS[scheme]);
  if (gold.size === 0) {
    throw new SentiscopeError('bad-csv', `${goldFile} has no labelled rows to evaluate against.`, goldFile);
  }
  if (scheme === 'mosi') {
    const { yTrue, yPred } = pairUp<'mosi'>(gold as Map<string, number>, pred as Map<string, number>, predFile);
    return { ...mosiMetrics(yTrue, yPred), n: yTrue.length };
  }
  const { yTrue, yPred } = pairUp<'mvsa'>(gold as Map<string, EvalValue<'mvsa'>>, pred as Map<string, EvalValue<'mvsa'>>, predFile);
  return { ...mvsaMetrics(yTrue, yPred), n: yTrue.length };
}
