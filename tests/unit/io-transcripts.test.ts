import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileProblemsError } from '../../src/core/io/file-problems';
import { formatTranscript, parseTranscript, transcriptFormatOf } from '../../src/core/io/transcripts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');

describe('transcript files', () => {
  it('picks the format from the name, else from a WEBVTT first line', () => {
    expect(transcriptFormatOf('talk.VTT', '')).toBe('vtt');
    expect(transcriptFormatOf('talk.srt', 'WEBVTT')).toBe('srt');
    expect(transcriptFormatOf('talk.txt', '\uFEFFWEBVTT\n')).toBe('vtt');
    expect(transcriptFormatOf('talk.txt', '1\n00:00:01,000 --> 00:00:02,000\n')).toBe('srt');
  });

  it('parses SRT and VTT fixtures to the same cues', () => {
    const srt = parseTranscript(fixture('cues.srt'), 'cues.srt');
    const vtt = parseTranscript(fixture('cues.vtt'), 'cues.vtt');
    expect(srt.map((c) => [c.start, c.end])).toEqual(vtt.map((c) => [c.start, c.end]));
    expect(formatTranscript(srt, 'srt')).toBe(fixture('cues.srt'));
    expect(formatTranscript(vtt, 'vtt')).toBe(fixture('cues.vtt'));
  });

  it('refuses a bad timing with the file name and line', () => {
    const text = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:02.000 --> soon\nbad\n';
    let caught: unknown;
    try {
      parseTranscript(text, 'talk.vtt');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FileProblemsError);
    const err = caught as FileProblemsError;
    expect(err.code).toBe('bad-file');
    expect(err.file).toBe('talk.vtt');
    expect(err.message).toMatch(/^talk\.vtt line 6: bad cue timing/);
    expect(err.message).toMatch(/fix the WebVTT file/);
  });

  it('refuses an SRT file read as VTT when told so', () => {
    expect(() => parseTranscript(fixture('cues.srt'), 'cues.srt', 'vtt')).toThrow(/cues\.srt line 1: .*WEBVTT/);
  });
});
