// Classification metrics with scikit-learn's conventions, so numbers compare with
// papers: the classes are every label seen in y_true or y_pred, the F1 of a class is
// 2tp / (2tp + fp + fn), and 0 where that is 0/0 (zero_division=0).
// Empty input gives NaN: there is nothing to measure, and the caller must say so.

export type ClassLabel = string | number | boolean;

function checkLengths(yTrue: readonly unknown[], yPred: readonly unknown[]): void {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`metrics: ${yTrue.length} true labels but ${yPred.length} predictions`);
  }
}

export function accuracy<T extends ClassLabel>(yTrue: readonly T[], yPred: readonly T[]): number {
  checkLengths(yTrue, yPred);
  if (yTrue.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

export interface ClassStats {
  label: ClassLabel;
  /** Number of true samples of this class. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class precision, recall, F1 and support, for every label in y_true or y_pred. */
export function perClassStats<T extends ClassLabel>(yTrue: readonly T[], yPred: readonly T[]): ClassStats[] {
  checkLengths(yTrue, yPred);
  const labels = [...new Set<T>([...yTrue, ...yPred])];
  return labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < yTrue.length; i++) {
      const t = yTrue[i] === label;
      const p = yPred[i] === label;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
    return {
      label,
      support: tp + fn,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
    };
  });
}

/** sklearn average='weighted': per-class F1 weighted by true support (zero-support classes weigh 0). */
export function weightedF1<T extends ClassLabel>(yTrue: readonly T[], yPred: readonly T[]): number {
  const stats = perClassStats(yTrue, yPred);
  if (yTrue.length === 0) return NaN;
  return stats.reduce((sum, s) => sum + s.f1 * s.support, 0) / yTrue.length;
}

/** sklearn average='macro': plain mean over every label in y_true or y_pred. */
export function macroF1<T extends ClassLabel>(yTrue: readonly T[], yPred: readonly T[]): number {
  const stats = perClassStats(yTrue, yPred);
  if (stats.length === 0) return NaN;
  return stats.reduce((sum, s) => sum + s.f1, 0) / stats.length;
}
