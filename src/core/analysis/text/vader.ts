// VADER (Hutto & Gilbert 2014) through the vader-sentiment npm package, a CommonJS port
// of the reference Python. It reads the raw text: capitals, "!" and its own negation
// rules matter to it, so it is not fed our tokens.

import { createRequire } from 'node:module';

export interface VaderScores {
  /** Normalised sum of valences, -1..1. */
  compound: number;
  /** Proportions of the text that are positive, neutral, negative (sum to about 1). */
  pos: number;
  neu: number;
  neg: number;
}

interface VaderModule {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderScores };
}

let vader: VaderModule | null = null;

const finite = (v: number) => (Number.isFinite(v) ? v : 0);

export function vaderScores(text: string): VaderScores {
  vader ??= createRequire(import.meta.url)('vader-sentiment') as VaderModule;
  const s = vader.SentimentIntensityAnalyzer.polarity_scores(text);
  return { compound: finite(s.compound), pos: finite(s.pos), neu: finite(s.neu), neg: finite(s.neg) };
}
