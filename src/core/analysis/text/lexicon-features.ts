// Lexicon features of one segment's text: a fixed-length vector the fusion model reads
// beside the text encoder. Text with no words yields null (the text modality is absent),
// never a row of NaN or of zeros that would pass for neutral text.

import { afinnMatches } from './afinn';
import { MARKS, TOKENIZER_VERSION, tokenize } from './tokenizer';
import { vaderScores } from './vader';

/** Column names, in vector order. */
export const LEXICON_FEATURE_NAMES = Object.freeze([
  'vader_compound',
  'vader_positive',
  'vader_neutral',
  'vader_negative',
  /** Sum of AFINN valences (after negation). */
  'afinn_sum',
  /** afinn_sum / token_count. */
  'afinn_mean',
  /** Largest / smallest matched valence; 0 when nothing matched. */
  'afinn_max',
  'afinn_min',
  /** Matches with valence > 0 / < 0 (after negation). */
  'afinn_positive_words',
  'afinn_negative_words',
  'token_count',
] as const);

export type LexiconFeatureName = (typeof LEXICON_FEATURE_NAMES)[number];

export interface LexiconFeatures {
  values: Float32Array;
  names: readonly LexiconFeatureName[];
  tokens: string[];
}

/**
 * Lexicon features, or null when `text` holds no word (empty, whitespace, symbols only).
 * `tokenizerVersion` is the one the pack was trained with (its text recipe).
 */
export function lexiconFeatures(text: string, tokenizerVersion: number = TOKENIZER_VERSION): LexiconFeatures | null {
  const tokens = tokenize(text, tokenizerVersion);
  // The encoder reads the marks '!' and '?' (tokenizer version 3); the lexicon reads words.
  const words = tokens.filter((t) => !MARKS.has(t));
  if (words.length === 0) return null;
  const vader = vaderScores(text.trim());
  const matches = afinnMatches(words, tokenizerVersion);
  let sum = 0;
  let max = 0;
  let min = 0;
  let positive = 0;
  let negative = 0;
  for (const [k, m] of matches.entries()) {
    sum += m.score;
    max = k === 0 ? m.score : Math.max(max, m.score);
    min = k === 0 ? m.score : Math.min(min, m.score);
    if (m.score > 0) positive++;
    else if (m.score < 0) negative++;
  }
  const values = Float32Array.of(
    vader.compound,
    vader.pos,
    vader.neu,
    vader.neg,
    sum,
    sum / words.length,
    max,
    min,
    positive,
    negative,
    words.length,
  );
  return { values, names: LEXICON_FEATURE_NAMES, tokens };
}
