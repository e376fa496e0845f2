// The word tokenizer the lexicon features and the text encoder share; the golden examples
// are the cases the Python training code must reproduce.

import { describe, expect, it } from 'vitest';
import { TOKENIZER_EXAMPLES, tokenize } from '../../src/core/analysis/text/index';
import { encodeTokens, vocabularyFromList } from '../../src/core/analysis/text/text-recipe';

describe('tokenize', () => {
  it.each(TOKENIZER_EXAMPLES.map((e) => [e.text, e.tokens] as const))('%j -> %j', (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });

  it("spells a punctuated contraction like MOSI's unpunctuated transcripts", () => {
    for (const [punctuated, bare] of [
      ["don't", 'dont'],
      ["can't", 'cant'],
      ["it's", 'its'],
      ['wasn’t', 'wasnt'],
    ]) {
      expect(tokenize(punctuated)).toEqual(tokenize(bare));
    }
  });

  it('splits Chinese into characters but keeps Latin words whole beside them', () => {
    expect(tokenize('服务态度非常好，下次还来！')).toEqual(['服', '务', '态', '度', '非', '常', '好', '下', '次', '还', '来', '!']);
    expect(tokenize('iPhone手机')).toEqual(['iphone', '手', '机']);
  });

  it('keeps version 1 for packs trained with it: no emoticons, hashtags whole, elongations kept', () => {
    expect(tokenize('so happy :) #NotHappy soooo', 1)).toEqual(['so', 'happy', 'nothappy', 'soooo']);
    expect(tokenize("I DIDN'T like it 😍", 1)).toEqual(['i', 'didnt', 'like', 'it', '😍']);
    expect(() => tokenize('x', 4)).toThrow(/version 4/);
    // Version 1 lowercased before removing URLs: an upper-case scheme is a URL in both versions.
    expect(tokenize('see HTTP://T.CO/AbC now', 1)).toEqual(['see', 'now']);
    expect(tokenize('see HTTP://T.CO/AbC now')).toEqual(['see', 'now']);
  });

  it('keeps version 2 for packs trained with it: no exclamation or question marks', () => {
    expect(tokenize('No way!!! What?! :)', 2)).toEqual(['no', 'way', 'what', ':)']);
    expect(tokenize('?!', 2)).toEqual([]);
  });

  it('is idempotent on its own output', () => {
    for (const { text } of TOKENIZER_EXAMPLES) {
      const once = tokenize(text);
      expect(tokenize(once.join(' '))).toEqual(once);
    }
  });
});

describe('token ids', () => {
  const vocabulary = vocabularyFromList(['it', 'was', 'good', 'it']);

  it('maps known tokens from id 2, unknown to 1, pads with 0 and truncates', () => {
    expect(vocabulary.get('it')).toBe(2);
    expect(vocabulary.get('good')).toBe(4);
    const encoded = encodeTokens(tokenize('it was really good'), vocabulary, 6);
    expect(Array.from(encoded.ids)).toEqual([2, 3, 1, 4, 0, 0]);
    expect(Array.from(encoded.mask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(encoded).toMatchObject({ length: 4, unknown: 1 });
    expect(Array.from(encodeTokens(tokenize('it was really good'), vocabulary, 2).ids)).toEqual([2, 3]);
  });
});
