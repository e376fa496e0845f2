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
//
// Version 2 keeps what sentiment leans on in posts and chat (version 1 drops it):
// a. After NFKC and the URL and @mention removal, a hashtag's body is split into the words
//    its capitals and digits mark ("#NotHappy" -> "not happy", "#love2019" -> "love 2019"),
//    before lowercasing loses them.
// b. Emoticons become tokens of their own, spelled one way: the nose dropped, '=' read as
//    ':' (';' stays a wink), the mouth ) ] } -> ')', ( [ { -> '(', D -> 'd', P -> 'p',
//    \\ -> '/', O -> 'o', a repeated mouth once (":-)))" -> ":)"), a reversed smiley turned
//    round ("(:" -> ":)", "):" -> ":("; only after a space or at the start); "<3", "</3",
//    "xd", "^_^", "-_-", "t_t". An emoticon never has a letter or digit right after it
//    (":Dear" is a word) and never follows a digit ("12:30").
// c. Every other piece goes through version 1's steps 2-7.
// d. A letter repeated three or more times is cut to two ("soooo" -> "soo", "!!!" is
//    punctuation anyway), so elongations share one token.
//
// Version 3 is version 2 plus the marks of spoken and written exclamation and question:
// e. Every '!' and '?' is a token of its own, in text order, a run of the same mark once
//    ("No way!!!" -> "no way !", "What?!" -> "what ? !"; full-width ！？ are ASCII after NFKC).
//    In dialogue and posts they separate "No way!" from "No way." and "Yeah, right?" from
//    "Yeah, right" (MELD dev, one corpus alone: 54 % -> 64 %). The lexicon features read the
//    words only (MARKS are left out of the AFINN matches and the token count), so they are
//    the same as in version 2; text of marks alone has no words and is absent, as before.
// Packs record the version they were trained with; every version stays computable.

export const TOKENIZER_NAME = 'sentiscope-words';
/** The version new packs and `sentiscope features` use. */
export const TOKENIZER_VERSION = 3;
export const TOKENIZER_VERSIONS: readonly number[] = [1, 2, 3];

/** The tokens of rule e (version 3): not words, so the lexicon features leave them out. */
export const MARKS: ReadonlySet<string> = new Set(['!', '?']);

// Case-insensitive: version 1 lowercased before removing URLs, and still removes "HTTP://...".
const URL = /(?:https?:\/\/|www\.)\S+/giu;
const MENTION = /@[\p{L}\p{N}_]+/gu;
const INNER_APOSTROPHE = /(?<=\p{L})['\u2019\u2018\u02BC`\u00B4](?=\p{L})/gu;
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|\p{Extended_Pictographic}|[\p{L}\p{M}\p{N}]+/gu;
// Rule 5 must win over rule 7 inside a run like "abc中文", so CJK characters are spaced out first.
const CJK = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;
const PICTOGRAPH = /(\p{Extended_Pictographic})/gu;
const EMOJI_PRESENTATION = /[\uFE0E\uFE0F\u20E3]/gu;

/** Words of `text` by [Note: text tokenizer] of `version`; [] for empty or symbol-only text. */
export function tokenize(text: string, version: number = TOKENIZER_VERSION): string[] {
  if (version === 1) return words(text.normalize('NFKC').replace(URL, ' ').replace(MENTION, ' '));
  if (version !== 2 && version !== 3) {
    throw new Error(`tokenizer version ${version} is not one of ${TOKENIZER_VERSIONS.join(', ')}`);
  }
  const pieces = version === 3 ? wordsAndMarks : words;
  const prepared = text
    .normalize('NFKC')
    .replace(URL, ' ')
    .replace(MENTION, ' ')
    .replace(HASHTAG, (_, body: string) => ` ${splitHashtag(body)} `);
  const tokens: string[] = [];
  let last = 0;
  for (const match of prepared.matchAll(EMOTICON)) {
    tokens.push(...pieces(prepared.slice(last, match.index)));
    tokens.push(normaliseEmoticon(match[0]));
    last = match.index! + match[0].length;
  }
  tokens.push(...pieces(prepared.slice(last)));
  return tokens.map((t) => t.replace(ELONGATION, '$1$1'));
}

const HASHTAG = /#([\p{L}\p{N}_]+)/gu;
const ELONGATION = /(\p{L})\1{2,}/gu;
// Eyes, optional nose, one mouth repeated; a reversed smiley; the fixed ones (rule b).
const EMOTICON = new RegExp(
  '(?:' +
    [
      String.raw`(?<![\p{N}:;=])[:;=][-'^o]?([)\]}(\[{dDpP/\\|*3oO$@])\1*`,
      String.raw`(?<!\S)[)\](\[][-'^]?[:;=]`,
      String.raw`(?<![\p{L}\p{N}])(?:<\/?3+|[xX][dD]+|\^_*\^|-_-|[tT]_[tT])`,
    ]
      .map((alternative) => `(?:${alternative})`)
      .join('|') +
    String.raw`)(?![\p{L}\p{N}])`,
  'gu',
);

function splitHashtag(body: string): string {
  return body
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2');
}

const MOUTH: Record<string, string> = { ']': ')', '}': ')', '[': '(', '{': '(', D: 'd', P: 'p', '\\': '/', O: 'o' };

function normaliseEmoticon(raw: string): string {
  if (/^<\/?3+$/.test(raw)) return raw.startsWith('</') ? '</3' : '<3';
  if (/^[xX][dD]+$/.test(raw)) return 'xd';
  if (/^\^_*\^$/.test(raw)) return '^_^';
  if (/^[tT]_[tT]$/.test(raw)) return 't_t';
  if (raw === '-_-') return raw;
  if (/^[)\]([]/.test(raw)) {
    // Reversed: "(:" is ":)", "):" is ":(".
    const eyes = raw.at(-1) === ';' ? ';' : ':';
    const mouth = raw[0] === '(' || raw[0] === '[' ? ')' : '(';
    return eyes + mouth;
  }
  const eyes = raw[0] === ';' ? ';' : ':';
  const mouth = raw.slice(1).replace(/^[-'^o](?=.)/, '');
  return eyes + (MOUTH[mouth[0]] ?? mouth[0]);
}

const MARK_RUN = /([!?])\1*/gu;

/** Rule e: version 1's steps 2-7 between the marks, each run of one mark a token. */
function wordsAndMarks(text: string): string[] {
  const tokens: string[] = [];
  let last = 0;
  for (const match of text.matchAll(MARK_RUN)) {
    tokens.push(...words(text.slice(last, match.index)), match[1]);
    last = match.index! + match[0].length;
  }
  tokens.push(...words(text.slice(last)));
  return tokens;
}

/** Version 1's steps 2-7 on a piece of already normalised text. */
function words(text: string): string[] {
  const prepared = text
    .toLowerCase()
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
  { text: "Rock'n'roll, 'quoted' & well-made!!", tokens: ['rocknroll', 'quoted', 'well', 'made', '!'] },
  { text: 'Great day #happy @friend_1 http://t.co/AbC', tokens: ['great', 'day', 'happy'] },
  { text: '这家酒店很好', tokens: ['这', '家', '酒', '店', '很', '好'] },
  { text: 'WiFi很好用ok', tokens: ['wifi', '很', '好', '用', 'ok'] },
  { text: 'Ｆｕｌｌｗｉｄｔｈ　ＡＢＣ１２３', tokens: ['fullwidth', 'abc123'] },
  { text: 'love it😍😍 👍🏽 ❤️', tokens: ['love', 'it', '😍', '😍', '👍', '❤'] },
  { text: 'café naïve', tokens: ['café', 'naïve'] },
  { text: 'so happy :-))) ;) =D (: T_T', tokens: ['so', 'happy', ':)', ';)', ':d', ':)', 't_t'] },
  { text: 'great:( </3 <3 xDD ^_^', tokens: ['great', ':(', '</3', '<3', 'xd', '^_^'] },
  { text: 'at 12:30 :Dear', tokens: ['at', '12', '30', 'dear'] },
  { text: '#NotHappy #love2019 #WorstDayEver', tokens: ['not', 'happy', 'love', '2019', 'worst', 'day', 'ever'] },
  { text: 'soooo goooood!!!', tokens: ['soo', 'good', '!'] },
  { text: 'No way!!! What?! really?', tokens: ['no', 'way', '!', 'what', '?', '!', 'really', '?'] },
  { text: '好吃！！下次还点？', tokens: ['好', '吃', '!', '下', '次', '还', '点', '?'] },
  { text: '  \t\n ', tokens: [] },
  { text: '...', tokens: [] },
  { text: '?!...', tokens: ['?', '!'] },
];
