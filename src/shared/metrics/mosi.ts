// MOSI regression metrics, following MMSA's metricsTop.py (__eval_mosei_regression):
// - acc2_has0 / f1_has0: classes y >= 0 vs y < 0, over every sample.
// - acc2_non0 / f1_non0: samples whose TRUE score is 0 are dropped; classes y > 0 vs
//   y <= 0 (so a prediction of exactly 0 counts as negative there, as in MMSA).
// - acc7: np.round(np.clip(y, -3, 3)) equal for prediction and truth. numpy rounds
//   half to even (0.5 -> 0, 1.5 -> 2, -2.5 -> -2), and so does roundHalfEven here.
// - mae: mean |pred - true| on the unclipped values.
// - corr: Pearson r. numpy gives NaN when either side has zero variance; we give 0,
//   so an eval of a constant predictor reads "no correlation" instead of null.
// Values are not rounded (MMSA rounds to 4 decimals when printing); empty input -> NaN.

import { accuracy, weightedF1 } from './classification';

export interface MosiMetrics {
  acc2_has0: number;
  acc2_non0: number;
  f1_has0: number;
  f1_non0: number;
  acc7: number;
  mae: number;
  corr: number;
}

/** numpy's np.round: to the nearest integer, ties to the even one. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

function clip(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Pearson correlation; 0 when either side is constant (or fewer than 2 samples). */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError(`pearson: ${n} vs ${b.length} values`);
  if (n < 2) return 0;
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - meanA;
    const db = b[i] - meanB;
    cov += da * db;
    varA += da * da;
    varB += db * db;
  }
  if (varA === 0 || varB === 0) return 0;
  return cov / Math.sqrt(varA * varB);
}

export function mosiMetrics(yTrue: readonly number[], yPred: readonly number[]): MosiMetrics {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`mosiMetrics: ${yTrue.length} true scores but ${yPred.length} predictions`);
  }
  const n = yTrue.length;
  const has0True = yTrue.map((y) => y >= 0);
  const has0Pred = yPred.map((y) => y >= 0);

  const nonZero = yTrue.flatMap((y, i) => (y !== 0 ? [i] : []));
  const non0True = nonZero.map((i) => yTrue[i] > 0);
  const non0Pred = nonZero.map((i) => yPred[i] > 0);

  const round7 = (y: number) => roundHalfEven(clip(y, -3, 3));
  const acc7 = accuracy(yTrue.map(round7), yPred.map(round7));

  const mae = n === 0 ? NaN : yTrue.reduce((s, y, i) => s + Math.abs(yPred[i] - y), 0) / n;

  return {
    acc2_has0: accuracy(has0True, has0Pred),
    acc2_non0: accuracy(non0True, non0Pred),
    f1_has0: weightedF1(has0True, has0Pred),
    f1_non0: weightedF1(non0True, non0Pred),
    acc7,
    mae,
    corr: pearson(yPred, yTrue),
  };
}
