// Which language a segment's text is in, so a pack never reads a language it was not
// trained on as if it were English (its words would all be unknown tokens and its lexicon
// features zero: a neutral-looking guess about nothing).
//
// [Note: language detection]
// 1. Script first, over letters only: a text whose letters are mostly Han (with no kana)
//    is "zh"; with Hiragana/Katakana "ja"; Hangul "ko"; Cyrillic "ru"; Arabic "ar";
//    Greek "el"; Devanagari "hi"; Thai "th"; Hebrew "he" (Cyrillic, Arabic, ... name the
//    script's largest language: enough to say "not a language this pack reads").
// 2. Latin text: the share of its words that are common function words of English, German,
//    French, Spanish, Italian, Portuguese or Dutch; the language with the most wins, English
//    on a tie. A Latin text with no function word at all ("great!!") is "en" when it is
//    short (<= 3 words, where no language can be told) and "und" (undetermined) otherwise.
// 3. No letter at all (emoji, digits): "und". A pack reads "und" text as it is: refusing
//    "👍👍" would drop the one thing the segment says.

export type LanguageCode = string;

export const UNDETERMINED = 'und';

const SCRIPTS: ReadonlyArray<[RegExp, LanguageCode]> = [
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Hebrew}/u, 'he'],
];
const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/gu;

// The commonest function words of each language, lowercased, apostrophes removed (as the
// tokenizer spells them). Words two languages share ("a", "de", "in") count for both.
const FUNCTION_WORDS: Readonly<Record<LanguageCode, ReadonlySet<string>>> = {
  en: new Set(
    'the a an and or but of to in on at for with is are was were be been it this that i you he she we they my your not no do does did dont didnt its im so just very what have has had'.split(
      ' ',
    ),
  ),
  de: new Set('der die das und ist nicht ich du er sie wir ein eine zu mit auf den dem des von für sehr aber auch noch wie'.split(' ')),
  fr: new Set('le la les et est une un des du pas je tu il elle nous vous ce cest que qui dans pour avec sur très mais'.split(' ')),
  es: new Set('el la los las y es una un del que no en por para con muy pero lo se su al como más está'.split(' ')),
  it: new Set('il lo la gli le e è una un del che non per con molto ma sono di da questo della'.split(' ')),
  pt: new Set('o a os as e é uma um do da que não em para com muito mas se no na por mais está'.split(' ')),
  nl: new Set('de het een en is niet ik je hij zij wij van op te met voor maar ook heel dat zijn'.split(' ')),
};

/** The language of `text` by [Note: language detection]. */
export function detectLanguage(text: string): LanguageCode {
  const letters = text.normalize('NFKC').match(LETTER) ?? [];
  if (!letters.length) return UNDETERMINED;
  const counts = new Map<LanguageCode, number>();
  let han = 0;
  let kana = 0;
  let latin = 0;
  for (const ch of letters) {
    if (HAN.test(ch)) han++;
    else if (KANA.test(ch)) kana++;
    else if (LATIN.test(ch)) latin++;
    else {
      const script = SCRIPTS.find(([pattern]) => pattern.test(ch));
      if (script) counts.set(script[1], (counts.get(script[1]) ?? 0) + 1);
    }
  }
  counts.set('zh', kana ? 0 : han);
  counts.set('ja', kana ? han + kana : 0);
  counts.set('latin', latin);
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (best[0] !== 'latin') return best[0];
  return latinLanguage(text);
}

function latinLanguage(text: string): LanguageCode {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/(?<=\p{L})['\u2019](?=\p{L})/gu, '')
      .match(/\p{L}+/gu) ?? [];
  let best: LanguageCode = 'en';
  let bestHits = 0;
  for (const [language, list] of Object.entries(FUNCTION_WORDS)) {
    const hits = words.filter((w) => list.has(w)).length;
    if (hits > bestHits) {
      best = language;
      bestHits = hits;
    }
  }
  if (bestHits === 0) return words.length <= 3 ? 'en' : UNDETERMINED;
  return best;
}

/** English names for the reasons and the UI. */
export const LANGUAGE_NAMES: Readonly<Record<LanguageCode, string>> = {
  en: 'English',
  zh: 'Chinese',
  ja: 'Japanese',
  ko: 'Korean',
  ru: 'Russian',
  ar: 'Arabic',
  el: 'Greek',
  hi: 'Hindi',
  th: 'Thai',
  he: 'Hebrew',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
  und: 'undetermined',
};

/**
 * Why a pack reading `languages` cannot read text in `language`; null when it can
 * (every pack reads undetermined text; a pack that names no languages reads everything).
 */
export function unreadLanguageReason(language: LanguageCode, languages: readonly LanguageCode[] | undefined): string | null {
  if (!languages?.length || language === UNDETERMINED || languages.includes(language)) return null;
  const name = (code: LanguageCode) => LANGUAGE_NAMES[code] ?? code;
  return `text in ${name(language)} (${language}); the model reads ${languages.map((l) => `${name(l)} (${l})`).join(', ')}`;
}
