// The annotator-by-annotator scatter of MOSI scores: for two annotators, one point per item
// both rated (points at the same place are counted, not drawn twice), with the figures its
// reading needs: Pearson's r and the mean absolute difference.

import type { Label } from '../domain';
import { pearson } from '../metrics/mosi';

export interface ScorePoint {
  /** Annotator a's score. */
  x: number;
  /** Annotator b's score. */
  y: number;
  /** Items at exactly this pair of scores. */
  count: number;
}

export interface ScorePairs {
  a: string;
  b: string;
  /** Items both rated. */
  n: number;
  points: ScorePoint[];
  /** Null with fewer than two items or a constant side, where r is not defined. */
  r: number | null;
  meanAbsDiff: number | null;
}

function scoreOf(labels: readonly Label[], annotator: string): number | null {
  const own = labels.find((l) => l.scheme === 'mosi' && l.annotator === annotator);
  return own?.scheme === 'mosi' ? own.values.score : null;
}

function constant(xs: readonly number[]): boolean {
  return xs.every((x) => x === xs[0]);
}

/** Pairs of a's and b's scores over the items (each with every annotator's labels). */
export function scorePairs(items: readonly { labels: readonly Label[] }[], a: string, b: string): ScorePairs {
  const xs: number[] = [];
  const ys: number[] = [];
  const at = new Map<string, ScorePoint>();
  for (const item of items) {
    const x = scoreOf(item.labels, a);
    const y = scoreOf(item.labels, b);
    if (x === null || y === null) continue;
    xs.push(x);
    ys.push(y);
    const key = `${x}/${y}`;
    const point = at.get(key);
    if (point) point.count++;
    else at.set(key, { x, y, count: 1 });
  }
  const n = xs.length;
  return {
    a,
    b,
    n,
    points: [...at.values()],
    r: n < 2 || constant(xs) || constant(ys) ? null : pearson(xs, ys),
    meanAbsDiff: n ? xs.reduce((s, x, i) => s + Math.abs(x - ys[i]), 0) / n : null,
  };
}
