// The word tokenizer shared by the lexicon features and the text encoder. Training (Python)
// must split text exactly the same way, so the rules are few and stated in
// [Note: text tokenizer]; TOKENIZER_EXAMPLES are golden cases both sides check.
//
// [Note: text tokenizer]
// Version 1, applied in this order:
// 1. Unicode NFKC normalisation (full-width letters and digits become ASCII, ligatures split).
// 2. Lowercase: String.prototype.toLowerCase / Python str.lower().
// 3. URLs (`http://`, `https://` or `www.` up to the next whitespace) and @mentions
//    (`@` followed by letters, digits or `_`) are removed: they carry no sentiment.
// 4. An apostrophe (' ’ ‘ ʼ ` ´) between two letters is deleted, so "didn't" and the
//    unpunctuated MOSI spelling "didnt" give the same token; any other apostrophe
//    separates words.
// 5. Every Han, Hiragana or Katakana character is a token of its own (Chinese and
//    Japanese are not space-delimited; characters are the unit the encoder sees).
// 6. Every \p{Extended_Pictographic} code point (emoji) is a token of its own; variation
//    selectors U+FE0E/U+FE0F and the keycap mark U+20E3 are deleted first, and skin-tone
//    modifiers and the zero-width joiner separate (so "👍🏽" -> "👍").
// 7. The remaining tokens are maximal runs of letters, combining marks and digits
//    (\p{L}\p{M}\p{N}). Everything else (spaces, punctuation, '#', '-', '_') separates.
// Python: the same with the `regex` package (it knows \p{...}); see TOKENIZER_EXAMPLES.

export const TOKENIZER_NAME = 'sentiscope-words';
export const TOKENIZER_VERSION = 1;

const URL = /(?:https?:\/\/|www\.)\S+/gu;
const MENTION = /@[\p{L}\p{N}_]+/gu;
const INNER_APOSTROPHE = /(?<=\p{L})['\u2019\u2018\u02BC`\u00B4](?=\p{L})/gu;
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|\p{Extended_Pictographic}|[\p{L}\p{M}\p{N}]+/gu;
// Rule 5 must win over rule 7 inside a run like "abc中文", so CJK characters are spaced out first.
const CJK = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;
const PICTOGRAPH = /(\p{Extended_Pictographic})/gu;
const EMOJI_PRESENTATION = /[\uFE0E\uFE0F\u20E3]/gu;

/** Words of `text` by [Note: text tokenizer]; [] for empty or symbol-only text. */
export function tokenize(text: string): string[] {
  const prepared = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(URL, ' ')
    .replace(MENTION, ' ')
    .replace(INNER_APOSTROPHE, '')
    .replace(EMOJI_PRESENTATION, '')
    .replace(CJK, ' $1 ')
    .replace(PICTOGRAPH, ' $1 ');
  return prepared.match(TOKEN) ?? [];
}

/** Golden cases: this code and the training code must both produce exactly these. */
export const TOKENIZER_EXAMPLES: ReadonlyArray<{ text: string; tokens: string[] }> = [
  { text: 'anyhow it was really good', tokens: ['anyhow', 'it', 'was', 'really', 'good'] },
  { text: "I DIDN'T like it", tokens: ['i', 'didnt', 'like', 'it'] },
  { text: 'i didn’t like it', tokens: ['i', 'didnt', 'like', 'it'] },
  { text: 'they didnt really do a whole bunch', tokens: ['they', 'didnt', 'really', 'do', 'a', 'whole', 'bunch'] },
  { text: "Rock'n'roll, 'quoted' & well-made!!", tokens: ['rocknroll', 'quoted', 'well', 'made'] },
  { text: 'Great day #happy @friend_1 http://t.co/AbC', tokens: ['great', 'day', 'happy'] },
  { text: '这家酒店很好', tokens: ['这', '家', '酒', '店', '很', '好'] },
  { text: 'WiFi很好用ok', tokens: ['wifi', '很', '好', '用', 'ok'] },
  { text: 'Ｆｕｌｌｗｉｄｔｈ　ＡＢＣ１２３', tokens: ['fullwidth', 'abc123'] },
  { text: 'love it😍😍 👍🏽 ❤️', tokens: ['love', 'it', '😍', '😍', '👍', '❤'] },
  { text: 'café naïve', tokens: ['café', 'naïve'] },
  { text: '  \t\n ', tokens: [] },
  { text: '?!...', tokens: [] },
];
