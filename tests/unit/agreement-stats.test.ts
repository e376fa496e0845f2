// The agreement statistics against the worked examples of the papers that define them.

import { describe, expect, it } from 'vitest';
import { alphaInterval, alphaNominal } from '../../src/shared/agreement/krippendorff';
import { icc2 } from '../../src/shared/agreement/icc';
import { cohenKappa, fleissKappa } from '../../src/shared/agreement/kappa';
import { bootstrapIntervals } from '../../src/shared/agreement/bootstrap';

// Krippendorff (2011), section C: four observers, twelve units, values 1..5, gaps missing.
const _ = null;
const OBSERVERS = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];
const KRIPPENDORFF_UNITS = OBSERVERS[0].map((_v, u) => OBSERVERS.map((o) => o[u]));

describe("Krippendorff's alpha", () => {
  it('matches the 2011 worked example with missing values: nominal 0.743, interval 0.849', () => {
    expect(alphaNominal(KRIPPENDORFF_UNITS)).toBeCloseTo(0.743, 3);
    expect(alphaInterval(KRIPPENDORFF_UNITS)).toBeCloseTo(0.849, 3);
  });

  it('matches the 2011 binary example of two observers: 0.095', () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(alphaNominal(a.map((v, i) => [v, b[i]]))).toBeCloseTo(0.095, 3);
  });

  it('is 1 for perfect agreement and undefined when nothing varies or nothing pairs', () => {
    expect(
      alphaInterval([
        [1, 1],
        [2, 2],
        [-1, null, -1],
      ]),
    ).toBe(1);
    expect(
      alphaNominal([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull();
    expect(
      alphaInterval([
        [1, null],
        [null, 2],
      ]),
    ).toBeNull();
  });
});

describe('ICC (Shrout & Fleiss 1979)', () => {
  // Table 2: six targets rated by four judges; Table 4 gives ICC(2,1) = .29, ICC(2,4) = .62.
  const TABLE_2 = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  it('matches Table 4 for case 2', () => {
    const { icc2_1, icc2_k } = icc2(TABLE_2);
    expect(icc2_1).toBeCloseTo(0.2898, 3);
    expect(icc2_k).toBeCloseTo(0.6201, 3);
  });
  it('is undefined on one item', () => {
    expect(icc2([[1, 2, 3]])).toEqual({ icc2_1: null, icc2_k: null });
  });
});

describe('kappa', () => {
  it("Fleiss' kappa: ten subjects, fourteen raters, five categories -> 0.210", () => {
    // The standard illustration of Fleiss (1971)'s statistic (counts per category).
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const rows = counts.map((c) => c.flatMap((n, category) => new Array<number>(n).fill(category)));
    expect(fleissKappa(rows)).toBeCloseTo(0.21, 3);
  });

  it("Cohen's kappa: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no -> 0.4", () => {
    const rows = [
      ...new Array(20).fill(['y', 'y']),
      ...new Array(5).fill(['y', 'n']),
      ...new Array(10).fill(['n', 'y']),
      ...new Array(15).fill(['n', 'n']),
    ];
    expect(cohenKappa(rows)).toBeCloseTo(0.4, 6);
  });

  it("Fleiss' kappa for two raters is Scott's pi (Fleiss 1971): differs from Cohen's on unequal marginals", () => {
    const rows = [
      ['y', 'y'],
      ['y', 'n'],
      ['y', 'n'],
      ['n', 'n'],
    ];
    // p_o = 0.5; pooled p(y) = 0.5 -> pi = 0; Cohen: p_e = 0.75*0.25 + 0.25*0.75 = 0.375 -> 0.2
    expect(fleissKappa(rows)).toBeCloseTo(0, 9);
    expect(cohenKappa(rows)).toBeCloseTo(0.2, 9);
  });
});

describe('bootstrap', () => {
  it('is seeded (same interval twice) and brackets the statistic', () => {
    const items = KRIPPENDORFF_UNITS;
    const stats = { alpha: (s: typeof items) => alphaInterval(s) };
    const a = bootstrapIntervals(items, stats, { resamples: 500, seed: 7 });
    const b = bootstrapIntervals(items, stats, { resamples: 500, seed: 7 });
    expect(a).toEqual(b);
    const [lo, hi] = a.alpha!;
    expect(lo).toBeLessThan(0.849);
    expect(hi).toBeGreaterThan(0.849);
    expect(hi).toBeLessThanOrEqual(1);
  });
});
