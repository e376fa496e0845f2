// The Agreement page's figures: the annotator-by-annotator score pairs (points counted where
// they coincide, Pearson's r, mean absolute difference) and the one-line readings of the
// scatter and of the disagreement histogram.

import { describe, expect, it } from 'vitest';
import { readDisagreement, readScorePairs } from '../../src/shared/agreement/readings';
import { scorePairs } from '../../src/shared/agreement/score-pairs';
import type { Label } from '../../src/shared/domain';

let nextId = 1;
function mosi(annotator: string, score: number): Label {
  return {
    id: nextId++,
    segmentId: 0,
    annotator,
    scheme: 'mosi',
    values: { score, text: null, audio: null, visual: null },
    notes: '',
    questionable: false,
    updatedAt: '',
  } as Label;
}
const item = (...labels: Label[]) => ({ labels });

describe('score pairs', () => {
  it('one point per item both rated, coinciding points counted, r and mean |difference|', () => {
    const items = [
      item(mosi('ana', 2), mosi('bo', 1.5)),
      item(mosi('ana', -1), mosi('bo', 2), mosi('cy', 0)),
      item(mosi('ana', 0), mosi('bo', 0)),
      item(mosi('ana', 0), mosi('bo', 0)),
      item(mosi('ana', 3), mosi('cy', 3)),
    ];
    const pairs = scorePairs(items, 'ana', 'bo');
    expect(pairs.n).toBe(4);
    expect(pairs.points).toEqual([
      { x: 2, y: 1.5, count: 1 },
      { x: -1, y: 2, count: 1 },
      { x: 0, y: 0, count: 2 },
    ]);
    // By hand: x = [2, -1, 0, 0], y = [1.5, 2, 0, 0]; means 0.25 and 0.875.
    const dx = [1.75, -1.25, -0.25, -0.25];
    const dy = [0.625, 1.125, -0.875, -0.875];
    const cov = dx.reduce((s, v, i) => s + v * dy[i], 0);
    const r = cov / Math.sqrt(dx.reduce((s, v) => s + v * v, 0) * dy.reduce((s, v) => s + v * v, 0));
    expect(pairs.r).toBeCloseTo(r, 12);
    expect(pairs.meanAbsDiff).toBeCloseTo((0.5 + 3 + 0 + 0) / 4, 12);
    expect(scorePairs(items, 'bo', 'cy')).toMatchObject({ n: 1, r: null, meanAbsDiff: 2 });
    expect(scorePairs(items, 'ana', 'dee')).toMatchObject({ n: 0, points: [], r: null, meanAbsDiff: null });
  });

  it('reads the scatter', () => {
    expect(readScorePairs({ a: 'ana', b: 'bo', n: 6, r: 0.62, meanAbsDiff: 1.25 })).toBe(
      '6 items both rated: r 0.62, strong correlation (Cohen: 0.1 / 0.3 / 0.5); their scores differ by 1.25 on average',
    );
    expect(readScorePairs({ a: 'ana', b: 'bo', n: 6, r: -0.35, meanAbsDiff: 2 })).toMatch(/moderate correlation, the wrong way round/);
    expect(readScorePairs({ a: 'ana', b: 'bo', n: 1, r: null, meanAbsDiff: 0 })).toMatch(/r not defined/);
    expect(readScorePairs({ a: 'ana', b: 'bo', n: 0, r: null, meanAbsDiff: null })).toBe('ana and bo rated no item in common');
  });

  it('reads the disagreement histogram of scores and of labels', () => {
    const edges = Array.from({ length: 13 }, (_v, i) => i * 0.5);
    const counts = [1, 3, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0];
    expect(readDisagreement({ edges, counts }, 'interval')).toBe(
      '6 items: 1 within half a point, 2 apart by 2 points or more (the widest 4.50–5.00)',
    );
    const shares = Array.from({ length: 11 }, (_v, i) => i / 10);
    expect(readDisagreement({ edges: shares, counts: [4, 0, 0, 2, 0, 1, 0, 0, 0, 0] }, 'nominal')).toBe(
      '7 items: 4 unanimous, 1 with half or more of the annotators off the commonest label',
    );
    expect(readDisagreement({ edges, counts: new Array(12).fill(0) }, 'interval')).toBe('no item rated by two annotators');
  });
});
