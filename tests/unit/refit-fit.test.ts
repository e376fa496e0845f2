// The refit head's fitting on its own: grouped folds never split a group, a score residual
// that the features explain is learnt (MAE falls on held-out groups), labels the features
// do not explain are not "learnt", and a seed gives the same head.

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/agreement/bootstrap';
import { type RefitRow, crossValidate, fitRefitHead, groupFolds, learningCurve } from '../../src/core/models/refit-fit';

const source = { id: 'src', version: '1' };

/** Rows whose 11 text features drive the true score; the pack's own score is 0 throughout. */
function rows(count: number, seed: number, explained: boolean): RefitRow[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const v = Float32Array.from({ length: 11 }, () => random() * 2 - 1);
    const target = explained ? Math.max(-3, Math.min(3, 2 * v[0] - v[3])) : random() * 6 - 3;
    return {
      logits: [0, 0, 0],
      score: 0,
      vectors: { text: v },
      label: target < 0 ? 0 : target > 0 ? 2 : 1,
      target,
      group: `g${i % 12}`,
    };
  });
}

describe('refit head fitting', () => {
  it('deals whole groups to folds', () => {
    const groups = rows(60, 1, true).map((r) => r.group);
    const folds = groupFolds(groups, 5, 13);
    for (const g of new Set(groups)) expect(new Set(folds.filter((_, i) => groups[i] === g)).size).toBe(1);
    expect(new Set(folds).size).toBe(5);
  });

  it('learns a score residual the features explain, on held-out groups', () => {
    const cv = crossValidate(rows(120, 2, true), { folds: 4, scores: true, seed: 13, source });
    expect(cv.decision.metric).toBe('mae');
    expect(cv.decision.after).toBeLessThan(cv.decision.before * 0.6);
    expect(cv.decision.better).toBe(true);
  });

  it('does not beat the source on labels the features do not explain', () => {
    const cv = crossValidate(rows(120, 3, false), { folds: 4, scores: true, seed: 13, source });
    expect(cv.decision.after).toBeGreaterThan(cv.decision.before * 0.9);
  });

  it('gives the same head for the same seed', () => {
    const data = rows(60, 4, true);
    const a = fitRefitHead(data, { scores: true, seed: 5, source });
    const b = fitRefitHead(data, { scores: true, seed: 5, source });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.head.modalities.text!.weights).toHaveLength(4);
  });

  it('measures a learning curve: more labels per fold, a better held-out score on labels the features explain', () => {
    const data = rows(120, 6, true);
    const curve = learningCurve(data, { folds: 4, scores: true, seed: 13, lambda: 0.003, source });
    expect(curve.metric).toBe('mae');
    expect(curve.points.map((p) => p.labels)).toEqual([23, 45, 68, 90]);
    expect(new Set(curve.points.map((p) => p.before)).size).toBe(1);
    expect(curve.points[3].after).toBeLessThan(curve.points[0].after);
    expect(curve.points[3].after).toBeLessThan(curve.points[3].before * 0.6);
    expect(learningCurve(data, { folds: 4, scores: true, seed: 13, lambda: 0.003, source })).toEqual(curve);
  });
});
