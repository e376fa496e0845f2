// Lexicon features (VADER, AFINN-165 with negation) on hand-checked sentences.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEXT_RECIPE,
  LEXICON_FEATURE_NAMES,
  afinnMatches,
  builtTextRecipe,
  lexiconFeatures,
  tokenize,
} from '../../src/core/analysis/text/index';

const feature = (text: string, name: (typeof LEXICON_FEATURE_NAMES)[number]) => {
  const f = lexiconFeatures(text);
  if (!f) throw new Error(`no features for ${JSON.stringify(text)}`);
  return f.values[LEXICON_FEATURE_NAMES.indexOf(name)];
};

describe('lexicon features', () => {
  it('scores the MOSI sentence "anyhow it was really good" as positive', () => {
    const f = lexiconFeatures('anyhow it was really good')!;
    expect(f.values).toHaveLength(LEXICON_FEATURE_NAMES.length);
    expect(f.names).toEqual(LEXICON_FEATURE_NAMES);
    expect(feature('anyhow it was really good', 'vader_compound')).toBeGreaterThan(0.3);
    expect(feature('anyhow it was really good', 'afinn_sum')).toBe(3);
    expect(feature('anyhow it was really good', 'afinn_positive_words')).toBe(1);
    expect(feature('anyhow it was really good', 'token_count')).toBe(5);
    expect(feature('anyhow it was really good', 'afinn_mean')).toBeCloseTo(3 / 5, 6);
  });

  it('flips sentiment under negation, in both lexicons', () => {
    expect(feature('good', 'vader_compound')).toBeGreaterThan(0);
    expect(feature('not good', 'vader_compound')).toBeLessThan(0);
    expect(feature('good', 'afinn_sum')).toBeGreaterThan(0);
    expect(feature('not good', 'afinn_sum')).toBeLessThan(0);
    // Negation reaches 3 tokens back, with or without the apostrophe.
    expect(feature('it was not really that good', 'afinn_sum')).toBe(-3);
    expect(feature("i didn't like it", 'afinn_sum')).toBe(-2);
    expect(feature('i didnt like it', 'afinn_sum')).toBe(-2);
    // ...but no further, and not across "but".
    expect(feature('not that it was really good', 'afinn_sum')).toBe(3);
    expect(feature('not bad but good', 'afinn_sum')).toBe(3 + 3);
  });

  it('matches multi-word entries before single words', () => {
    expect(afinnMatches(tokenize("i can't stand it"))).toEqual([{ index: 1, words: 2, score: -3, negated: false }]);
    expect(afinnMatches(tokenize('a once-in-a-lifetime trip'))).toEqual([{ index: 1, words: 4, score: 3, negated: false }]);
  });

  it('marks text with no words absent instead of neutral or NaN', () => {
    for (const text of ['', '   \n\t', '...!?', '@someone http://t.co/x']) expect(lexiconFeatures(text)).toBeNull();
    for (const text of ['hmm', '这家酒店很好', '😍', 'GREAT!!!', 'no no no no no']) {
      const f = lexiconFeatures(text)!;
      expect(f).not.toBeNull();
      expect(Array.from(f.values).every(Number.isFinite)).toBe(true);
    }
    expect(feature('hmm', 'afinn_max')).toBe(0);
  });

  it('reads words only: the marks version 3 gives the encoder leave the lexicon values as in version 2', () => {
    for (const text of ['not good!!! at all?', 'What?! No way!', 'i loved it!']) {
      const v3 = lexiconFeatures(text, 3)!;
      expect(v3.tokens.filter((t) => t === '!' || t === '?').length).toBeGreaterThan(0);
      expect(Array.from(v3.values)).toEqual(Array.from(lexiconFeatures(text, 2)!.values));
    }
  });

  it('states in the recipe what the numbers depend on', () => {
    expect(DEFAULT_TEXT_RECIPE.lexicon.features).toEqual([...LEXICON_FEATURE_NAMES]);
    expect(DEFAULT_TEXT_RECIPE.tokenizer).toEqual({ name: 'sentiscope-words', version: 3 });
    expect(builtTextRecipe(1).tokenizer.version).toBe(1);
    expect(builtTextRecipe(2).tokenizer.version).toBe(2);
    expect(builtTextRecipe(7)).toBe(DEFAULT_TEXT_RECIPE);
    expect(DEFAULT_TEXT_RECIPE.lexicon.negators).toContain('didnt');
  });
});
