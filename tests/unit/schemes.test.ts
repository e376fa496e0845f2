import { describe, expect, it } from 'vitest';
import type { Polarity } from '../../src/shared/domain';
import { clampScore, formatScore, isValidScore, parseAnnotation, scoreToAnnotation, scoreToPolarity } from '../../src/shared/schemes/mosi';
import { mergeMvsa, parsePolarity } from '../../src/shared/schemes/mvsa';

describe('MOSI scores', () => {
  it('maps the sign to a polarity and to the MMSA annotation', () => {
    expect([-0.2, 0, 0.2].map(scoreToPolarity)).toEqual(['negative', 'neutral', 'positive']);
    expect([-3, -0, 0, 3].map(scoreToAnnotation)).toEqual(['Negative', 'Neutral', 'Neutral', 'Positive']);
  });

  it('accepts [-3, 3] only', () => {
    expect([-3, -0.5, 0, 3].every(isValidScore)).toBe(true);
    expect([-3.0001, 3.5, 7, NaN, Infinity].some(isValidScore)).toBe(false);
  });

  it('clamps model outputs into [-3, 3]', () => {
    expect([-4.2, -3, 1.5, 3, 9].map(clampScore)).toEqual([-3, -3, 1.5, 3, 3]);
  });

  it('formats with 4 decimals like the MOSI files, never "-0.0000"', () => {
    expect(formatScore(2.4)).toBe('2.4000');
    expect(formatScore(-0.8)).toBe('-0.8000');
    expect(formatScore(-1.75)).toBe('-1.7500');
    expect(formatScore(0.33333334)).toBe('0.3333');
    expect(formatScore(-2 / 3)).toBe('-0.6667');
    expect(formatScore(-0)).toBe('0.0000');
    expect(formatScore(-0.00001)).toBe('0.0000');
    expect(() => formatScore(NaN)).toThrow(RangeError);
  });

  it('reads annotations in any case', () => {
    expect(parseAnnotation(' positive')).toBe('Positive');
    expect(parseAnnotation('NEUTRAL')).toBe('Neutral');
    expect(parseAnnotation('pos')).toBeUndefined();
  });
});

describe('MVSA merge rule', () => {
  const cases: [Polarity | null, Polarity | null, Polarity | null, boolean][] = [
    // agree -> that label
    ['positive', 'positive', 'positive', false],
    ['neutral', 'neutral', 'neutral', false],
    ['negative', 'negative', 'negative', false],
    // one side neutral -> the other side
    ['neutral', 'positive', 'positive', false],
    ['positive', 'neutral', 'positive', false],
    ['neutral', 'negative', 'negative', false],
    ['negative', 'neutral', 'negative', false],
    // positive vs negative -> no label, conflict
    ['positive', 'negative', null, true],
    ['negative', 'positive', null, true],
    // a side not labelled yet defers to the other
    [null, 'negative', 'negative', false],
    ['neutral', null, 'neutral', false],
    [null, null, null, false],
  ];
  it.each(cases)('text %s + image %s -> %s (conflict %s)', (text, image, label, conflict) => {
    expect(mergeMvsa(text, image)).toEqual({ label, conflict });
  });

  it('reads polarities in any case', () => {
    expect(parsePolarity('Positive')).toBe('positive');
    expect(parsePolarity(' NEGATIVE ')).toBe('negative');
    expect(parsePolarity('mixed')).toBeUndefined();
  });
});
