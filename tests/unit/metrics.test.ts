import { describe, expect, it } from 'vitest';
import type { Polarity } from '../../src/shared/domain';
import { accuracy, macroF1, weightedF1 } from '../../src/shared/metrics/classification';
import { mosiMetrics, pearson, roundHalfEven } from '../../src/shared/metrics/mosi';
import { mvsaMetrics } from '../../src/shared/metrics/mvsa';

describe('classification metrics (sklearn conventions)', () => {
  // true = [pos, pos, pos, neg, neg, neu], pred = [pos, pos, neg, neg, neu, neu]
  // pos: support 3, tp 2, fp 0, fn 1 -> F1 = 2*2/(2*2+0+1) = 4/5
  // neg: support 2, tp 1, fp 1, fn 1 -> F1 = 2/(2+1+1)     = 1/2
  // neu: support 1, tp 1, fp 1, fn 0 -> F1 = 2/(2+1+0)     = 2/3
  // accuracy = 4/6 (rows 0, 1, 3, 5)
  // weighted = (3*4/5 + 2*1/2 + 1*2/3)/6 = (12/5 + 1 + 2/3)/6 = (61/15)/6 = 61/90
  // macro    = (4/5 + 1/2 + 2/3)/3 = (59/30)/3 = 59/90
  const yTrue: Polarity[] = ['positive', 'positive', 'positive', 'negative', 'negative', 'neutral'];
  const yPred: Polarity[] = ['positive', 'positive', 'negative', 'negative', 'neutral', 'neutral'];

  it('accuracy, weighted F1 and macro F1', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 12);
    expect(weightedF1(yTrue, yPred)).toBeCloseTo(61 / 90, 12);
    expect(macroF1(yTrue, yPred)).toBeCloseTo(59 / 90, 12);
  });

  it('a class only predicted weighs 0 in weighted F1 but counts (as 0) in macro F1', () => {
    // x: support 2, tp 1, fp 0, fn 1 -> 2/3;  y: support 2, tp 2 -> 1;  z: support 0, fp 1 -> 0
    // weighted = (2*2/3 + 2*1 + 0*0)/4 = (10/3)/4 = 5/6;  macro = (2/3 + 1 + 0)/3 = 5/9
    const t = ['x', 'x', 'y', 'y'];
    const p = ['x', 'z', 'y', 'y'];
    expect(weightedF1(t, p)).toBeCloseTo(5 / 6, 12);
    expect(macroF1(t, p)).toBeCloseTo(5 / 9, 12);
  });

  it('a class never predicted has F1 0 (zero division -> 0), not NaN', () => {
    // a: support 2, tp 2, fp 1 -> 4/5;  b: support 1, tp 0 -> 0.  weighted = (2*4/5 + 0)/3 = 8/15
    expect(weightedF1(['a', 'a', 'b'], ['a', 'a', 'a'])).toBeCloseTo(8 / 15, 12);
  });

  it('refuses arrays of different lengths; empty input is NaN', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(RangeError);
    expect(accuracy([], [])).toBeNaN();
    expect(weightedF1([], [])).toBeNaN();
  });

  it('MVSA metrics are accuracy and weighted F1 over polarities', () => {
    const m = mvsaMetrics(yTrue, yPred);
    expect(Object.keys(m).sort()).toEqual(['acc', 'f1_weighted']);
    expect(m.acc).toBeCloseTo(2 / 3, 12);
    expect(m.f1_weighted).toBeCloseTo(61 / 90, 12);
  });
});

describe('roundHalfEven (numpy np.round)', () => {
  it('rounds ties to the even integer', () => {
    // (+ 0 folds -0 into 0: the sign of zero does not matter for class equality)
    const round = (x: number) => roundHalfEven(x) + 0;
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map(round)).toEqual([0, 2, 2, 0, -2, -2]);
    expect([0.49, 0.51, -0.51, 2.6, -2.4, 3.5].map(round)).toEqual([0, 1, -1, 3, -2, 4]);
  });
});

describe('pearson', () => {
  it('matches a hand computation', () => {
    // a = [1,2,3], b = [1,3,2]: deviations (-1,0,1) and (-1,1,0); cov = 1, var = 2 and 2 -> 1/2
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
  });
  it('is 0 when one side is constant (numpy would give NaN)', () => {
    expect(pearson([1, 1, 1], [0.5, 1, 2])).toBe(0);
    expect(pearson([2], [3])).toBe(0);
  });
});

describe('mosiMetrics (MMSA metricsTop.py)', () => {
  // i:      0     1     2     3     4     5
  // true: 1.2  -0.4   0.0   2.6  -2.2   0.0
  // pred: 0.8   0.3  -0.5   1.5  -2.5  -0.1
  const yTrue = [1.2, -0.4, 0, 2.6, -2.2, 0];
  const yPred = [0.8, 0.3, -0.5, 1.5, -2.5, -0.1];

  it('computes every key as worked out by hand', () => {
    const m = mosiMetrics(yTrue, yPred);
    expect(Object.keys(m).sort()).toEqual(['acc2_has0', 'acc2_non0', 'acc7', 'corr', 'f1_has0', 'f1_non0', 'mae']);

    // Has0 (>= 0): true T F T T F T, pred T T F T F F -> agree at 0, 3, 4 -> 3/6
    expect(m.acc2_has0).toBeCloseTo(0.5, 12);
    // T: support 4, tp 2 (0,3), fp 1 (1), fn 2 (2,5) -> 4/7
    // F: support 2, tp 1 (4), fp 2 (2,5), fn 1 (1)   -> 2/5
    // weighted = (4*4/7 + 2*2/5)/6 = (16/7 + 4/5)/6 = (108/35)/6 = 18/35
    expect(m.f1_has0).toBeCloseTo(18 / 35, 12);

    // Non0: drop rows 2 and 5 (TRUE is 0). Rows 0,1,3,4 with > 0:
    // true T F T F, pred T T T F -> agree at 0, 3, 4 -> 3/4
    expect(m.acc2_non0).toBeCloseTo(0.75, 12);
    // T: support 2, tp 2, fp 1, fn 0 -> 4/5;  F: support 2, tp 1, fp 0, fn 1 -> 2/3
    // weighted = (2*4/5 + 2*2/3)/4 = (8/5 + 4/3)/4 = (44/15)/4 = 11/15
    expect(m.f1_non0).toBeCloseTo(11 / 15, 12);

    // Acc-7 on round-half-even(clip(y)): true 1 -0 0 3 -2 0, pred 1 0 -0 2 -2 -0
    // agree everywhere but row 3 -> 5/6. (Rounding halves away from zero would turn
    // pred -0.5 into -1 and -2.5 into -3 and give 3/6; Math.round happens to agree
    // with numpy on these negative halves, hence the next test.)
    expect(m.acc7).toBeCloseTo(5 / 6, 12);

    // MAE = (0.4 + 0.7 + 0.5 + 1.1 + 0.3 + 0.1)/6 = 3.1/6
    expect(m.mae).toBeCloseTo(3.1 / 6, 12);

    // Pearson: n=6, St=1.2, Sp=-0.5, Stp=10.24, St2=13.2, Sp2=9.49
    // r = (6*10.24 - 1.2*-0.5) / sqrt((6*13.2 - 1.44)(6*9.49 - 0.25)) = 62.04 / sqrt(77.76*56.69) ~ 0.93442
    expect(m.corr).toBeCloseTo(62.04 / Math.sqrt(77.76 * 56.69), 10);
    expect(m.corr).toBeCloseTo(0.93442, 5);
  });

  it('Non0 counts a prediction of exactly 0 as negative, Has0 as positive', () => {
    // true [1, -1], pred [0, 0]: Has0 pred T T vs true T F -> 1/2; Non0 pred F F vs true T F -> 1/2,
    // but the wrong row differs: Has0 misses row 1, Non0 misses row 0.
    const m = mosiMetrics([1, -1], [0, 0]);
    expect(m.acc2_has0).toBe(0.5);
    expect(m.acc2_non0).toBe(0.5);
    // true [2, 0.5], pred [0, 1]: Has0 all T -> 1; Non0 pred F T vs true T T -> 1/2
    const n = mosiMetrics([2, 0.5], [0, 1]);
    expect(n.acc2_has0).toBe(1);
    expect(n.acc2_non0).toBe(0.5);
  });

  it('Acc-7 rounds positive halves to even too', () => {
    // true 0 2 3 -> classes 0 2 3; pred 0.5 2.5 2.5 -> 0 2 2 (half-even) -> agree at 0, 1 -> 2/3.
    // Math.round or half-away-from-zero would give 1 3 3 -> agree at 2 only -> 1/3.
    expect(mosiMetrics([0, 2, 3], [0.5, 2.5, 2.5]).acc7).toBeCloseTo(2 / 3, 12);
  });

  it('clips before rounding for Acc-7: 4.2 and 3 both read as class 3', () => {
    expect(mosiMetrics([3, -3], [4.2, -9]).acc7).toBe(1);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => mosiMetrics([1, 2], [1])).toThrow(RangeError);
  });
});
