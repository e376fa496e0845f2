// Plain-text transcripts (no timings): the words in order, grouped into sentences.
// A sentence ends at a line break or after . ! ? … (and the CJK 。！？) before a space or
// the end; the sentence ends are where a spread transcript prefers to cut between
// segments (src/core/services/transcript-alignment.ts).

import { SentiscopeError } from '../../shared/errors';

export interface PlainTranscript {
  /** Each sentence as its words (whitespace-separated tokens, punctuation kept). */
  sentences: string[][];
}

const SENTENCE_END = /(?<=[.!?…。！？]["'”’)\]]*)\s+/u;

/** Words of a piece of text: whitespace-separated tokens. */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/u).filter((w) => w !== '');
}

/** Splits text into sentences of words; blank lines and extra spaces are dropped. */
export function sentencesOf(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return src
    .split(/\r\n|\n|\r/)
    .flatMap((line) => line.split(SENTENCE_END))
    .map(wordsOf)
    .filter((words) => words.length > 0);
}

/** Parses a plain-text transcript; a file without any words is refused, naming it. */
export function parsePlainTranscript(text: string, file: string): PlainTranscript {
  const sentences = sentencesOf(text);
  if (sentences.length === 0) {
    throw new SentiscopeError(
      'bad-file',
      `${file} has no words in it: a plain-text transcript needs the spoken text (any line breaks). Nothing was imported.`,
      file,
    );
  }
  return { sentences };
}
