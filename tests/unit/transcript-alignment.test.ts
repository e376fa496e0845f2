// Estimated timings for untimed text: words inside a span by character length, and a
// plain transcript shared among spans by duration, preferring sentence ends.

import { describe, expect, it } from 'vitest';
import { parsePlainTranscript, sentencesOf } from '../../src/core/io/plain-transcript';
import { parseTranscriptCsv } from '../../src/core/io/transcript-csv';
import { shareTextBySpans, spreadWords } from '../../src/core/services/transcript-alignment';

describe('spreadWords', () => {
  it('lays words end to end over the span by character length', () => {
    expect(spreadWords('a bcd', 1, 2)).toEqual([
      { word: 'a', start: 1, end: 1.25 },
      { word: 'bcd', start: 1.25, end: 2 },
    ]);
    expect(spreadWords('  ', 0, 1)).toBeNull();
  });

  it('keeps millisecond times inside the span, never backwards', () => {
    const words = spreadWords('x '.repeat(7).trim(), 0.1, 0.2)!;
    expect(words).toHaveLength(7);
    expect(words[0].start).toBe(0.1);
    expect(words[6].end).toBe(0.2);
    for (const w of words) {
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(Math.round(w.end * 1000) / 1000).toBe(w.end);
    }
  });
});

describe('shareTextBySpans', () => {
  it('shares words in proportion to duration', () => {
    const sentences = [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']];
    expect(
      shareTextBySpans(sentences, [
        { start: 0, end: 1 },
        { start: 1, end: 4 },
      ]),
    ).toEqual(['a b', 'c d e f g h']);
  });

  it('moves a cut to a nearby sentence end, but not a far one', () => {
    // 12 words, equal spans: the proportional cut is after word 6; a sentence ends after 5.
    const near = sentencesOf('one two three four five. six seven eight nine ten eleven twelve');
    expect(
      shareTextBySpans(near, [
        { start: 0, end: 1 },
        { start: 1, end: 2 },
      ]),
    ).toEqual(['one two three four five.', 'six seven eight nine ten eleven twelve']);
    const far = sentencesOf('one two. three four five six seven eight nine ten eleven twelve');
    expect(
      shareTextBySpans(far, [
        { start: 0, end: 1 },
        { start: 1, end: 2 },
      ]),
    ).toEqual(['one two. three four five six', 'seven eight nine ten eleven twelve']);
  });

  it('leaves spans empty when there are fewer words than spans, and keeps every word', () => {
    const spans = [0, 1, 2, 3].map((s) => ({ start: s, end: s + 1 }));
    const texts = shareTextBySpans([['only', 'two']], spans);
    expect(texts.join(' ').trim().split(/\s+/)).toEqual(['only', 'two']);
    expect(texts.filter((t) => t === '')).toHaveLength(2);
  });
});

describe('plain transcripts', () => {
  it('splits sentences at line breaks and sentence-final punctuation', () => {
    expect(sentencesOf('\uFEFFHi there. How are you?\n\nFine…  "Really!" yes\r\nok')).toEqual([
      ['Hi', 'there.'],
      ['How', 'are', 'you?'],
      ['Fine…'],
      ['"Really!"'],
      ['yes'],
      ['ok'],
    ]);
  });

  it('refuses a file without words, naming it', () => {
    expect(() => parsePlainTranscript(' \n\t\n', '/x/t.txt')).toThrow(/\/x\/t\.txt has no words/);
  });
});

describe('transcript CSV', () => {
  it('reads timed rows (start/end aliases, speaker) and untimed files', () => {
    expect(parseTranscriptCsv('Start,End,Text,Speaker\n0,1.5,hi,A\n', 'f.csv')).toEqual({
      timed: true,
      rows: [{ line: 2, start: 0, end: 1.5, text: 'hi', speaker: 'A' }],
    });
    expect(parseTranscriptCsv('text\nhello\n', 'f.csv').timed).toBe(false);
  });

  it('names every bad line', () => {
    expect(() => parseTranscriptCsv('start_s,end_s,text\n1,,half\n,,\n', 'f.csv')).toThrow(
      /f\.csv line 2: end_s is empty.*f\.csv line 3: a row without times needs text/,
    );
    expect(() => parseTranscriptCsv('start_s,words\n', 'f.csv')).toThrow(/line 1: missing column text/);
  });
});
