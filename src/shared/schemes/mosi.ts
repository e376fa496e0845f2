// CMU-MOSI sentiment score helpers: a score in [-3, 3], written the way MMSA's
// label.csv and ../shared/data/mosi/segments.csv write it (4 decimals).

import { fixedDecimals } from '../fixed-decimals';
import type { Polarity } from '../domain';

export const MOSI_MIN = -3;
export const MOSI_MAX = 3;

/** MMSA's `annotation` column. */
export type MosiAnnotation = 'Negative' | 'Neutral' | 'Positive';

/** True for a finite score within [-3, 3]. */
export function isValidScore(score: number): boolean {
  return Number.isFinite(score) && score >= MOSI_MIN && score <= MOSI_MAX;
}

/** Clips a score into [-3, 3] (model outputs may overshoot). NaN stays NaN. */
export function clampScore(score: number): number {
  return Math.min(MOSI_MAX, Math.max(MOSI_MIN, score));
}

/** `< 0` negative, `== 0` neutral, `> 0` positive (the data README's 3-class view). */
export function scoreToPolarity(score: number): Polarity {
  if (score < 0) return 'negative';
  if (score > 0) return 'positive';
  return 'neutral';
}

const ANNOTATIONS: Record<Polarity, MosiAnnotation> = {
  negative: 'Negative',
  neutral: 'Neutral',
  positive: 'Positive',
};

export function polarityToAnnotation(polarity: Polarity): MosiAnnotation {
  return ANNOTATIONS[polarity];
}

export function scoreToAnnotation(score: number): MosiAnnotation {
  return ANNOTATIONS[scoreToPolarity(score)];
}

/** Reads an annotation cell case-insensitively; undefined when it is none of the three. */
export function parseAnnotation(cell: string): MosiAnnotation | undefined {
  const lower = cell.trim().toLowerCase();
  return lower === 'negative' || lower === 'neutral' || lower === 'positive' ? ANNOTATIONS[lower] : undefined;
}

/**
 * Four decimals, as MMSA/MOSI files write scores: 2.4 -> "2.4000", -0.8 -> "-0.8000".
 * Anything that rounds to zero is written "0.0000", never "-0.0000".
 */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) throw new RangeError(`formatScore: expected a finite score, got ${score}`);
  return fixedDecimals(score, 4);
}
