import { describe, expect, it } from 'vitest';
import { fixedDecimals } from '../../src/shared/fixed-decimals';

describe('fixedDecimals', () => {
  it('writes a negative that rounds to zero as plain zero, at any precision', () => {
    expect(fixedDecimals(-0.00001, 4)).toBe('0.0000');
    expect(fixedDecimals(-0.0004, 3)).toBe('0.000');
    expect(fixedDecimals(-0.2, 0)).toBe('0');
    expect(fixedDecimals(-0, 2)).toBe('0.00');
  });

  it('keeps real negatives and positives as toFixed writes them', () => {
    expect(fixedDecimals(-0.00005, 4)).toBe('-0.0001');
    expect(fixedDecimals(-2.4, 4)).toBe('-2.4000');
    expect(fixedDecimals(1.23456, 3)).toBe('1.235');
  });
});
