// Text modality: the shared word tokenizer, token ids for the text encoder, and lexicon
// features (VADER, AFINN-165), with the recipe a model pack's manifest records.

export { TOKENIZER_EXAMPLES, TOKENIZER_NAME, TOKENIZER_VERSION, TOKENIZER_VERSIONS, tokenize } from './tokenizer';
export { AFINN_NEGATION_WINDOW, NEGATORS, afinnMatches } from './afinn';
export type { AfinnMatch } from './afinn';
export { vaderScores } from './vader';
export type { VaderScores } from './vader';
export { LEXICON_FEATURE_NAMES, lexiconFeatures } from './lexicon-features';
export type { LexiconFeatureName, LexiconFeatures } from './lexicon-features';
export {
  DEFAULT_TEXT_RECIPE,
  builtTextRecipe,
  PAD_TOKEN_ID,
  TEXT_RECIPE_VERSION,
  UNKNOWN_TOKEN_ID,
  encodeTokens,
  vocabularyFromList,
} from './text-recipe';
export type { EncodedTokens, TextRecipe } from './text-recipe';
