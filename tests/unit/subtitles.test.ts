import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SubtitleError,
  formatSrt,
  formatTimestamp,
  formatVtt,
  parseSrt,
  parseTimestamp,
  parseVtt,
  type Cue,
} from '../../src/shared/subtitles';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');

function problemsOf(parse: () => unknown): { line: number; reason: string }[] {
  try {
    parse();
  } catch (err) {
    if (err instanceof SubtitleError) return err.problems;
    throw err;
  }
  throw new Error('expected the parser to refuse the text');
}

describe('timestamps', () => {
  it('reads hours-optional stamps with either separator, in exact milliseconds', () => {
    expect(parseTimestamp('00:00:51,905')).toBe(51.905);
    expect(parseTimestamp('01:02:03.004')).toBe(3723.004);
    expect(parseTimestamp('02:03.004')).toBe(123.004);
    expect(parseTimestamp('100:00:00.000')).toBe(360000);
  });

  it('refuses malformed stamps', () => {
    for (const bad of ['0:1:2,000', '00:60:00,000', '00:00:61,000', '00:00:01,5', '00:00:01', 'abc']) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });

  it('writes HH:MM:SS with the asked separator, rounding to the millisecond', () => {
    expect(formatTimestamp(51.905, ',')).toBe('00:00:51,905');
    expect(formatTimestamp(3723.0044, '.')).toBe('01:02:03.004');
    expect(formatTimestamp(59.9996, '.')).toBe('00:01:00.000');
    expect(() => formatTimestamp(-1, '.')).toThrow(RangeError);
  });
});

describe('parseSrt', () => {
  it('reads a canonical file', () => {
    expect(parseSrt(fixture('cues.srt'))).toEqual([
      { start: 1, end: 2.5, text: 'hello there' },
      { start: 2.5, end: 4, text: 'it was really good' },
      { start: 3723.004, end: 3725, text: 'an hour in' },
    ]);
  });

  it('tolerates BOM, CRLF, no final newline, coordinates; joins lines with a space and drops tags', () => {
    expect(parseSrt(fixture('messy.srt'))).toEqual([
      { start: 1, end: 2.5, text: 'Hello there' },
      { start: 2.5, end: 4, text: 'it was really good' },
    ]);
  });

  it('reads cues without numbers and cues with empty text', () => {
    const text = '00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\nsecond\n';
    expect(parseSrt(text)).toEqual([
      { start: 1, end: 2, text: '' },
      { start: 2, end: 3, text: 'second' },
    ]);
  });

  it('names the line of each bad timing and keeps going to report them all', () => {
    const text = [
      '1',
      '00:00:01,000 --> 00:00:02,000',
      'fine',
      '',
      '2',
      '00:00:02,000 --> 00:00:0x,000',
      'bad end',
      '',
      '3',
      '00:00:05,000 --> 00:00:04,000',
      'backwards',
      '',
    ].join('\n');
    const problems = problemsOf(() => parseSrt(text));
    expect(problems.map((p) => p.line)).toEqual([6, 10]);
    expect(problems[0].reason).toMatch(/bad cue timing/);
    expect(problems[1].reason).toMatch(/ends .* before it starts/);
  });

  it('refuses text before any cue, naming its line', () => {
    expect(problemsOf(() => parseSrt('\nnot a subtitle file\n'))[0].line).toBe(2);
  });
});

describe('parseVtt', () => {
  it('reads a canonical file and decodes character references', () => {
    expect(parseVtt(fixture('cues.vtt'))).toEqual([
      { start: 1, end: 2.5, text: 'hello there' },
      { start: 2.5, end: 4, text: 'fish & chips <3' },
      { start: 3723.004, end: 3725, text: 'an hour in' },
    ]);
  });

  it('skips header lines, STYLE and NOTE blocks, identifiers and cue settings; hours are optional', () => {
    expect(parseVtt(fixture('messy.vtt'))).toEqual([
      { start: 1, end: 2.5, text: 'Hello there' },
      { start: 2.5, end: 4, text: 'it was & really good' },
    ]);
  });

  it('tolerates a BOM and CRLF', () => {
    const text = '\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nhi\r\n';
    expect(parseVtt(text)).toEqual([{ start: 1, end: 2, text: 'hi' }]);
  });

  it('refuses a file without the WEBVTT line', () => {
    expect(problemsOf(() => parseVtt('00:01.000 --> 00:02.000\nhi\n'))).toEqual([{ line: 1, reason: expect.stringContaining('WEBVTT') }]);
  });

  it('names the line of a bad timestamp and of a block that is not a cue', () => {
    const text = 'WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\nid\n00:02.000 --> 00:03.00\nbad\n\njust text\n';
    const problems = problemsOf(() => parseVtt(text));
    expect(problems.map((p) => p.line)).toEqual([7, 10]);
  });
});

describe('formatSrt / formatVtt', () => {
  const cues: Cue[] = [
    { start: 0, end: 1.25, text: 'first' },
    { start: 1.25, end: 3723.004, text: 'fish & chips <3' },
    { start: 3723.004, end: 3725, text: '' },
  ];

  it('writes canonical SRT and VTT', () => {
    expect(formatSrt(cues)).toBe(
      '1\n00:00:00,000 --> 00:00:01,250\nfirst\n\n' +
        '2\n00:00:01,250 --> 01:02:03,004\nfish & chips <3\n\n' +
        '3\n01:02:03,004 --> 01:02:05,000\n',
    );
    expect(formatVtt(cues)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nfirst\n\n' +
        '00:00:01.250 --> 01:02:03.004\nfish &amp; chips &lt;3\n\n' +
        '01:02:03.004 --> 01:02:05.000\n',
    );
  });

  it('round-trips cues through both formats', () => {
    expect(parseVtt(formatVtt(cues))).toEqual(cues);
    // SRT has no escapes: '<3' survives, but it is not a tag so it is kept.
    expect(parseSrt(formatSrt(cues))).toEqual(cues);
  });

  it('keeps canonical files byte for byte', () => {
    expect(formatSrt(parseSrt(fixture('cues.srt')))).toBe(fixture('cues.srt'));
    expect(formatVtt(parseVtt(fixture('cues.vtt')))).toBe(fixture('cues.vtt'));
  });

  it('never writes a blank line or an arrow inside a cue', () => {
    const text = formatSrt([{ start: 0, end: 1, text: 'a\n\nb --> c' }]);
    expect(text).toBe('1\n00:00:00,000 --> 00:00:01,000\na\nb -> c\n');
    expect(parseSrt(text)).toEqual([{ start: 0, end: 1, text: 'a b -> c' }]);
  });
});
