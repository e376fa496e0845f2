// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"),
// through the coincidence matrix, with missing ratings allowed: an item counts only
// with at least two values, each of its m values pairing with the m-1 others at weight
// 1/(m-1). alpha = 1 - D_o / D_e; null when the values never vary (D_e = 0) or fewer
// than two values are pairable.

import { presentValues, type RatingTable } from './ratings';

/** Sum over ordered pairs of distinct positions of (a - b)^2, in O(m). */
function squaredDiffPairs(values: readonly number[]): number {
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
  }
  return 2 * (values.length * sumSq - sum * sum);
}

/** Ordered pairs of distinct positions whose categories differ. */
function mismatchPairs<V>(values: readonly V[]): number {
  const counts = new Map<V, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let same = 0;
  for (const n of counts.values()) same += n * (n - 1);
  return values.length * (values.length - 1) - same;
}

function alpha<V>(table: RatingTable<V>, pairs: (values: readonly V[]) => number): number | null {
  let observed = 0;
  const pooled: V[] = [];
  for (const row of table) {
    const values = presentValues(row);
    if (values.length < 2) continue;
    observed += pairs(values) / (values.length - 1);
    pooled.push(...values);
  }
  const n = pooled.length;
  if (n < 2) return null;
  const expected = pairs(pooled) / (n - 1);
  if (expected === 0) return null;
  return 1 - observed / expected;
}

/** Interval alpha: the difference between two values is (a - b)^2. */
export function alphaInterval(table: RatingTable<number>): number | null {
  return alpha(table, squaredDiffPairs);
}

/** Nominal alpha: two values differ or they do not. */
export function alphaNominal<V>(table: RatingTable<V>): number | null {
  return alpha(table, mismatchPairs);
}
