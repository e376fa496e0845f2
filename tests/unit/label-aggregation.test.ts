// The rules that bring several annotators' labels to one: median, majority, and the
// MVSA order (majority per side first, then the pair rule).

import { describe, expect, it } from 'vitest';
import type { MvsaLabel, Polarity } from '../../src/shared/domain';
import { aggregateMvsa, majorityOf, medianOf, meanOf } from '../../src/shared/label-aggregation';

const mvsa = (annotator: string, text: Polarity | null, image: Polarity | null, pair: Polarity | null = null): MvsaLabel => ({
  id: 0,
  segmentId: 1,
  annotator,
  scheme: 'mvsa',
  values: { text, image, pair },
  notes: '',
  questionable: false,
  updatedAt: '',
});

describe('label aggregation', () => {
  it('mean and median ignore missing values', () => {
    expect(meanOf([1, null, 2])).toBe(1.5);
    expect(medianOf([3, -1, null, 0.5])).toBe(0.5);
    expect(medianOf([3, -1, 0.5, 2])).toBe(1.25);
    expect(medianOf([null])).toBeNull();
  });

  it('a majority needs two voices and no tie', () => {
    expect(majorityOf(['positive', 'positive', 'negative'])).toBe('positive');
    expect(majorityOf(['positive', 'neutral', 'negative'])).toBeNull();
    expect(majorityOf(['positive', null, null])).toBeNull();
    expect(majorityOf(['positive', 'positive', 'negative', 'negative'])).toBeNull();
  });

  it('MVSA: majority per side, then the pair rule; no side majority is no label, flagged', () => {
    // Each annotator's own pair would be positive, negative, negative; by sides it is positive.
    const sides = aggregateMvsa([mvsa('a', 'positive', 'neutral'), mvsa('b', 'positive', 'negative'), mvsa('c', 'neutral', 'neutral')]);
    expect(sides).toMatchObject({ text: 'positive', image: 'neutral', pair: 'positive', noMajority: false, provenance: 'aggregated' });
    expect(
      aggregateMvsa([mvsa('a', 'positive', 'negative'), mvsa('b', 'neutral', 'negative'), mvsa('c', 'negative', 'negative')]),
    ).toMatchObject({ pair: null, noMajority: true });
    expect(
      aggregateMvsa([mvsa('a', null, null, 'neutral'), mvsa('b', null, null, 'neutral'), mvsa('c', null, null, 'positive')]),
    ).toMatchObject({
      pair: 'neutral',
      noMajority: false,
    });
    expect(aggregateMvsa([mvsa('a', 'positive', 'negative')])).toMatchObject({ pair: null, conflict: true, provenance: 'single' });
  });
});
