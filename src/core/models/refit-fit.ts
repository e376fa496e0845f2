// Fitting a refit head (refit-head.ts) to the user's labels: L2-regularised multinomial
// logistic regression on the pack's logits plus per-modality linear offsets, ridge
// regression of the score residual for score labels, the L2 strength chosen by inner
// cross-validation, then a temperature on the final logits fitted on the inner folds'
// held-out logits. Plain accelerated gradient descent from zeros: deterministic, and the
// seed only decides which rows fall in which fold.

import { seededRandom } from '../../shared/agreement/bootstrap';
import { type ClassLabel, accuracy, macroF1, perClassStats } from '../../shared/metrics/classification';
import { type MosiMetrics, mosiMetrics } from '../../shared/metrics/mosi';
import { MODALITIES, type Modality } from './manifest';
import type { LearningCurve } from '../../shared/refit-job';
import { type RefitHead, REFIT_FEATURES, REFIT_HEAD_FORMAT, applyHeadLogits, headOffsets } from './refit-head';
import { softmax } from './fusion-runner';

/** One labelled row: the source pack's outputs and the raw vectors the head reads. */
export interface RefitRow {
  logits: [number, number, number];
  score: number;
  vectors: Partial<Record<Modality, Float32Array>>;
  /** 0 negative, 1 neutral, 2 positive. */
  label: number;
  /** The score label, for score labels only. */
  target: number | null;
  group: string;
}

export const L2_GRID = [0.0003, 0.003, 0.03] as const;
const TEMPERATURES = Array.from({ length: 28 }, (_, i) => 0.5 + i * 0.25);
const STEPS = 150;

/** Fold of each row: whole groups, shuffled by the seed, dealt round-robin. */
export function groupFolds(groups: readonly string[], folds: number, seed: number): number[] {
  const unique = [...new Set(groups)].sort();
  const random = seededRandom(seed);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [unique[i], unique[j]] = [unique[j], unique[i]];
  }
  const foldOf = new Map(unique.map((g, i) => [g, i % folds]));
  return groups.map((g) => foldOf.get(g)!);
}

interface Design {
  modalities: Modality[];
  mean: Record<string, number[]>;
  std: Record<string, number[]>;
  /** Standardized rows, absent modalities as zeros. */
  x: Float64Array[];
  width: number;
}

// Each modality's block is scaled by 1/sqrt(D) (folded into std) so every modality weighs
// about the same to the L2 penalty and the step size, whatever its width.
function design(rows: readonly RefitRow[]): Design {
  const modalities = MODALITIES.filter((m) => rows.filter((r) => r.vectors[m]).length >= 2);
  const mean: Record<string, number[]> = {};
  const std: Record<string, number[]> = {};
  for (const m of modalities) {
    const present = rows.map((r) => r.vectors[m]).filter((v): v is Float32Array => !!v);
    const d = present[0].length;
    const mu = new Array<number>(d).fill(0);
    for (const v of present) for (let j = 0; j < d; j++) mu[j] += v[j] / present.length;
    const sd = new Array<number>(d).fill(0);
    for (const v of present) for (let j = 0; j < d; j++) sd[j] += (v[j] - mu[j]) ** 2 / present.length;
    mean[m] = mu;
    std[m] = sd.map((s) => (Math.sqrt(s) > 1e-6 ? Math.sqrt(s) : 1) * Math.sqrt(d));
  }
  const width = modalities.reduce((n, m) => n + mean[m].length, 0);
  const x = rows.map((r) => standardize(r, modalities, mean, std, width));
  return { modalities, mean, std, x, width };
}

function standardize(
  row: RefitRow,
  modalities: readonly Modality[],
  mean: Record<string, number[]>,
  std: Record<string, number[]>,
  width: number,
): Float64Array {
  const out = new Float64Array(width);
  let at = 0;
  for (const m of modalities) {
    const v = row.vectors[m];
    const mu = mean[m];
    if (v) for (let j = 0; j < mu.length; j++) out[at + j] = (v[j] - mu[j]) / std[m][j];
    at += mu.length;
  }
  return out;
}

/**
 * Minimises mean loss + lambda/2 |W|^2 over W (outputs x (width + 1 bias)) by Nesterov
 * gradient descent; `gradient` fills d loss / d output per row.
 */
function descend(
  x: readonly Float64Array[],
  outputs: number,
  lambda: number,
  curvature: number,
  gradient: (row: number, out: Float64Array, grad: Float64Array) => void,
): Float64Array[] {
  const width = x[0].length + 1;
  const d = width - 1;
  const n = x.length;
  let meanSq = 0;
  for (const row of x) for (const v of row) meanSq += (v * v) / n;
  const step = 1 / (curvature * (meanSq + 1) + lambda);
  // Flat weight rows (k * width + j), one pass over each x row for all outputs: the same
  // sums in the same order as a row-by-row loop, so the result is number for number the
  // same, at a fraction of the time (this loop is nearly all of a refit's fitting time).
  const w = new Float64Array(outputs * width);
  const prev = new Float64Array(outputs * width);
  const look = new Float64Array(outputs * width);
  const grad = new Float64Array(outputs * width);
  const out = new Float64Array(outputs);
  const dOut = new Float64Array(outputs);
  for (let t = 1; t <= STEPS; t++) {
    const momentum = (t - 1) / (t + 2);
    for (let j = 0; j < w.length; j++) look[j] = w[j] + momentum * (w[j] - prev[j]);
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      for (let k = 0; k < outputs; k++) {
        const at = k * width;
        let s = look[at + d];
        for (let j = 0; j < d; j++) s += look[at + j] * xi[j];
        out[k] = s;
      }
      gradient(i, out, dOut);
      for (let k = 0; k < outputs; k++) {
        const at = k * width;
        const g = dOut[k] / n;
        for (let j = 0; j < d; j++) grad[at + j] += g * xi[j];
        grad[at + d] += g;
      }
    }
    prev.set(w);
    for (let k = 0; k < outputs; k++) {
      const at = k * width;
      // The bias is not penalised.
      for (let j = 0; j < d; j++) w[at + j] = look[at + j] - step * (grad[at + j] + lambda * look[at + j]);
      w[at + d] = look[at + d] - step * grad[at + d];
    }
  }
  return Array.from({ length: outputs }, (_, k) => w.slice(k * width, (k + 1) * width));
}

// Classes weigh by the inverse of their share, so a rare class is not given up for the
// common one: the refit is judged by balanced accuracy.
function classWeights(rows: readonly { label: number }[]): number[] {
  const counts = [0, 0, 0];
  for (const r of rows) counts[r.label]++;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? rows.length / (present * c) : 0));
}

function crossEntropy(logits: ArrayLike<number>, label: number): number {
  return -Math.log(Math.max(1e-12, softmax(logits)[label]));
}

/** A head fitted on `rows` with L2 strength `lambda` and temperature 1. */
function fitWithLambda(rows: readonly RefitRow[], lambda: number, scores: boolean, source: RefitHead['source']): RefitHead {
  const d = design(rows);
  const weight = classWeights(rows);
  const logitW = descend(d.x, 3, lambda, 0.5 * Math.max(...weight), (i, out, grad) => {
    // softmax's arithmetic, without its arrays: this runs for every row of every step.
    const { logits, label } = rows[i];
    const z0 = logits[0] + out[0];
    const z1 = logits[1] + out[1];
    const z2 = logits[2] + out[2];
    const max = Math.max(-Infinity, z0, z1, z2);
    const e0 = Math.exp(z0 - max);
    const e1 = Math.exp(z1 - max);
    const e2 = Math.exp(z2 - max);
    const sum = e0 + e1 + e2;
    const w = weight[label];
    grad[0] = w * (e0 / sum - (label === 0 ? 1 : 0));
    grad[1] = w * (e1 / sum - (label === 1 ? 1 : 0));
    grad[2] = w * (e2 / sum - (label === 2 ? 1 : 0));
  });
  const scoreW = scores
    ? descend(d.x, 1, lambda, 1, (i, out, grad) => {
        grad[0] = rows[i].score + out[0] - rows[i].target!;
      })
    : [new Float64Array(d.width + 1)];
  const all = [...logitW, ...scoreW];
  const head: RefitHead = {
    format: REFIT_HEAD_FORMAT,
    version: 1,
    source,
    bias: all.map((w) => w[d.width]),
    temperature: 1,
    modalities: {},
  };
  let at = 0;
  for (const m of d.modalities) {
    const width = d.mean[m].length;
    head.modalities[m] = {
      feature: REFIT_FEATURES[m],
      mean: d.mean[m],
      std: d.std[m],
      weights: all.map((w) => Array.from(w.subarray(at, at + width))),
    };
    at += width;
  }
  return head;
}

export interface HeadPrediction {
  probabilities: number[];
  label: number;
  score: number;
}

export function predictRow(head: RefitHead | null, row: RefitRow, [low, high]: readonly [number, number] = [-3, 3]): HeadPrediction {
  if (!head) {
    const p = softmax(row.logits);
    return { probabilities: p, label: p.indexOf(Math.max(...p)), score: row.score };
  }
  const offsets = headOffsets(head, row.vectors);
  const p = softmax(applyHeadLogits(head, row.logits, offsets));
  return { probabilities: p, label: p.indexOf(Math.max(...p)), score: Math.min(high, Math.max(low, row.score + offsets.score)) };
}

/** A head fitted on `rows`: L2 strength by inner CV (grouped), then a temperature on the inner held-out logits. */
export function fitRefitHead(
  rows: readonly RefitRow[],
  options: { scores: boolean; seed: number; source: RefitHead['source'] },
): { head: RefitHead; lambda: number } {
  const innerFolds = Math.min(3, new Set(rows.map((r) => r.group)).size);
  const weight = classWeights(rows);
  let best = { lambda: L2_GRID[L2_GRID.length - 1] as number, loss: Infinity, held: [] as { logits: number[]; label: number }[] };
  if (innerFolds >= 2) {
    const folds = groupFolds(
      rows.map((r) => r.group),
      innerFolds,
      options.seed + 1,
    );
    for (const lambda of L2_GRID) {
      let loss = 0;
      const held: { logits: number[]; label: number }[] = [];
      for (let f = 0; f < innerFolds; f++) {
        const train = rows.filter((_, i) => folds[i] !== f);
        const test = rows.filter((_, i) => folds[i] === f);
        const head = fitWithLambda(train, lambda, options.scores, options.source);
        for (const r of test) {
          const logits = applyHeadLogits(head, r.logits, headOffsets(head, r.vectors));
          held.push({ logits, label: r.label });
          loss += options.scores ? (predictRow(head, r).score - r.target!) ** 2 : weight[r.label] * crossEntropy(logits, r.label);
        }
      }
      if (loss < best.loss) best = { lambda, loss, held };
    }
  }
  const head = fitWithLambda(rows, best.lambda, options.scores, options.source);
  if (best.held.length) {
    const nll = (t: number) =>
      best.held.reduce(
        (s, h) =>
          s +
          crossEntropy(
            h.logits.map((v) => v / t),
            h.label,
          ),
        0,
      );
    head.temperature = TEMPERATURES.reduce((a, b) => (nll(b) < nll(a) ? b : a), 1);
  }
  return { head, lambda: best.lambda };
}

export interface ClassMetrics {
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
}

/** Mean recall over the classes that occur in `yTrue`. */
export function balancedAccuracy<T extends ClassLabel>(yTrue: readonly T[], yPred: readonly T[]): number {
  const present = new Set(yTrue);
  const stats = perClassStats(yTrue, yPred).filter((s) => present.has(s.label as T));
  return stats.reduce((sum, s) => sum + s.recall, 0) / stats.length;
}

export function classMetrics<T extends ClassLabel>(yTrue: readonly T[], yPred: readonly T[]): ClassMetrics {
  return { accuracy: accuracy(yTrue, yPred), balanced_accuracy: balancedAccuracy(yTrue, yPred), macro_f1: macroF1(yTrue, yPred) };
}

export type RefitMetrics = ClassMetrics | MosiMetrics;

export interface FoldReport {
  fold: number;
  rows: number;
  groups: number;
  before: RefitMetrics;
  after: RefitMetrics;
}

export interface CrossValidation {
  folds: FoldReport[];
  overall: { before: RefitMetrics; after: RefitMetrics };
  /** The metric the install decision reads: balanced accuracy (classes, higher is better) or MAE (scores, lower is better). */
  decision: { metric: 'balanced_accuracy' | 'mae'; before: number; after: number; better: boolean };
}

function metricsOf(rows: readonly RefitRow[], predictions: readonly HeadPrediction[], scores: boolean): RefitMetrics {
  if (scores) {
    return mosiMetrics(
      rows.map((r) => r.target!),
      predictions.map((p) => p.score),
    );
  }
  return classMetrics(
    rows.map((r) => r.label),
    predictions.map((p) => p.label),
  );
}

/** k-fold CV grouped by row.group: the source pack against a head fitted on the other folds. */
export function crossValidate(
  rows: readonly RefitRow[],
  options: {
    folds: number;
    scores: boolean;
    seed: number;
    source: RefitHead['source'];
    /** Called as each fold starts (1-based). */
    onFold?: (fold: number, folds: number) => void;
  },
): CrossValidation {
  const folds = groupFolds(
    rows.map((r) => r.group),
    options.folds,
    options.seed,
  );
  const before: HeadPrediction[] = new Array(rows.length);
  const after: HeadPrediction[] = new Array(rows.length);
  const reports: FoldReport[] = [];
  for (let f = 0; f < options.folds; f++) {
    options.onFold?.(f + 1, options.folds);
    const index = rows.flatMap((_, i) => (folds[i] === f ? [i] : []));
    const train = rows.filter((_, i) => folds[i] !== f);
    const { head } = fitRefitHead(train, { ...options, seed: options.seed + 100 * (f + 1) });
    for (const i of index) {
      before[i] = predictRow(null, rows[i]);
      after[i] = predictRow(head, rows[i]);
    }
    const test = index.map((i) => rows[i]);
    reports.push({
      fold: f + 1,
      rows: test.length,
      groups: new Set(test.map((r) => r.group)).size,
      before: metricsOf(
        test,
        index.map((i) => before[i]),
        options.scores,
      ),
      after: metricsOf(
        test,
        index.map((i) => after[i]),
        options.scores,
      ),
    });
  }
  const overall = { before: metricsOf(rows, before, options.scores), after: metricsOf(rows, after, options.scores) };
  const metric = options.scores ? 'mae' : 'balanced_accuracy';
  const b = (overall.before as unknown as Record<string, number>)[metric];
  const a = (overall.after as unknown as Record<string, number>)[metric];
  return { folds: reports, overall, decision: { metric, before: b, after: a, better: options.scores ? a < b : a > b } };
}

/** Shares of the training folds' labels the learning curve is measured at. */
export type { LearningCurve, LearningCurvePoint } from '../../shared/refit-job';

export const CURVE_FRACTIONS = [0.25, 0.5, 0.75, 1] as const;

/**
 * Cross-validated score against the number of labels used: the same grouped folds as
 * crossValidate, each fold's head fitted on a seeded share of its training rows with the
 * final head's L2 strength (no inner CV: the curve costs a few fits, not a refit each).
 * A share too small to hold two classes leaves that fold at the source's predictions.
 */
export function learningCurve(
  rows: readonly RefitRow[],
  options: { folds: number; scores: boolean; seed: number; lambda: number; source: RefitHead['source'] },
): LearningCurve {
  const folds = groupFolds(
    rows.map((r) => r.group),
    options.folds,
    options.seed,
  );
  const metric = options.scores ? 'mae' : 'balanced_accuracy';
  const read = (m: RefitMetrics) => (m as unknown as Record<string, number>)[metric];
  const before = read(
    metricsOf(
      rows,
      rows.map((r) => predictRow(null, r)),
      options.scores,
    ),
  );
  const shuffled = Array.from({ length: options.folds }, (_, f) => {
    const train = rows.flatMap((_, i) => (folds[i] !== f ? [i] : []));
    const random = seededRandom(options.seed + 7 * (f + 1));
    for (let i = train.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [train[i], train[j]] = [train[j], train[i]];
    }
    return train;
  });
  const points = CURVE_FRACTIONS.map((fraction) => {
    const predictions: HeadPrediction[] = new Array(rows.length);
    let used = 0;
    for (let f = 0; f < options.folds; f++) {
      const train = shuffled[f].slice(0, Math.max(1, Math.ceil(fraction * shuffled[f].length))).map((i) => rows[i]);
      used += train.length;
      const fits = new Set(train.map((r) => r.label)).size >= 2;
      const head = fits ? fitWithLambda(train, options.lambda, options.scores, options.source) : null;
      rows.forEach((r, i) => {
        if (folds[i] === f) predictions[i] = predictRow(head, r);
      });
    }
    return { fraction, labels: Math.round(used / options.folds), before, after: read(metricsOf(rows, predictions, options.scores)) };
  });
  return { metric, folds: options.folds, lambda: options.lambda, points };
}
