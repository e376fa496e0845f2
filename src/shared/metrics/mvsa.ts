// MVSA evaluation: accuracy and weighted F1 over polarity labels (ARCHITECTURE.md).

import type { Polarity } from '../domain';
import { accuracy, weightedF1 } from './classification';

export interface MvsaMetrics {
  acc: number;
  f1_weighted: number;
}

export function mvsaMetrics(yTrue: readonly Polarity[], yPred: readonly Polarity[]): MvsaMetrics {
  return { acc: accuracy(yTrue, yPred), f1_weighted: weightedF1(yTrue, yPred) };
}
