import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileRefusal as refusal } from '../helpers/refusal';
import { formatSegmentsCsv, parseSegmentsCsv, type SegmentRow } from '../../src/core/io/segments-csv';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');

function seg(over: Partial<SegmentRow>): SegmentRow {
  return {
    media: 'm',
    clipId: null,
    start: 0,
    end: 0,
    text: '',
    source: null,
    split: null,
    label: null,
    annotator: null,
    extras: {},
    ...over,
  };
}

describe('segments CSV', () => {
  it('reads the canonical layout, keeping unknown columns', () => {
    const rows = parseSegmentsCsv(fixture('segments-canonical.csv'), 'seg.csv');
    expect(rows).toEqual([
      seg({
        media: 'talk.mp4',
        clipId: '1',
        start: 0,
        end: 2.5,
        text: 'hello, world',
        source: 'asr',
        split: 'train',
        label: 1.2,
        annotator: 'ann1',
        extras: { confidence: '0.9' },
      }),
      seg({ media: 'talk.mp4', clipId: '2', start: 2.5, end: 4, source: 'vad', extras: { confidence: '' } }),
      seg({
        media: 'talk.mp4',
        start: 4,
        end: 9.125,
        text: 'typed by hand',
        source: 'manual',
        split: 'test',
        label: -3,
        annotator: 'ann2',
        extras: { confidence: '' },
      }),
    ]);
  });

  it('keeps a canonical file byte for byte, and rows round-trip', () => {
    const text = fixture('segments-canonical.csv');
    expect(formatSegmentsCsv(parseSegmentsCsv(text, 'seg.csv'))).toBe(text);
    const rows = [seg({ media: 'a.wav', clipId: '3', start: 1.001, end: 2, text: ' padded ', label: -0.25, split: 'valid' })];
    expect(parseSegmentsCsv(formatSegmentsCsv(rows), 'out.csv')).toEqual(rows);
  });

  it('reads the CMU-MOSI layout (video_id, split with dev and untranscribed) as it is', () => {
    const text = readFileSync(new URL('../../../shared/data/mosi/segments.csv', import.meta.url), 'utf8');
    const rows = parseSegmentsCsv(text, 'segments.csv');
    expect(rows).toHaveLength(2199);
    expect(rows[0]).toEqual(
      seg({ media: '03bSnISJMiM', clipId: '1', start: 51.905, end: 55.945, text: 'anyhow it was really good', label: 2.4, split: 'train' }),
    );
    expect(rows.filter((r) => r.split === null)).toHaveLength(4);
  });

  it('refuses bad rows by line', () => {
    const text = [
      'media,clip_id,start_s,end_s,label,source',
      'a,1,0,1,0.5,asr',
      'a,2,2,1,,',
      'a,3,,1,,',
      'a,1,5,6,,',
      'a,5,x,6,3.5,whisper',
    ].join('\n');
    const err = refusal(() => parseSegmentsCsv(text, 'seg.csv'));
    expect(err.problems).toEqual([
      { line: 3, reason: 'start_s 2 is after end_s 1' },
      { line: 4, reason: 'start_s is empty; a segment needs start and end times' },
      { line: 5, reason: 'media a clip_id 1 already appears on line 2' },
      { line: 6, reason: 'start_s "x" is not a number of seconds' },
      { line: 6, reason: 'source "whisper" is not one of vad, asr, import, manual' },
      { line: 6, reason: 'label 3.5 is outside the MOSI range [-3, 3]' },
    ]);
    expect(err.message).toMatch(/^seg\.csv line 3: start_s 2 is after end_s 1; /);
  });

  it('refuses missing columns and a column given twice under its alias', () => {
    expect(refusal(() => parseSegmentsCsv('media,start_s\na,1\n', 's.csv')).message).toMatch(/s\.csv line 1: missing column end_s/);
    expect(refusal(() => parseSegmentsCsv('media,video_id,start_s,end_s\na,b,0,1\n', 's.csv')).problems[0].line).toBe(1);
  });
});
