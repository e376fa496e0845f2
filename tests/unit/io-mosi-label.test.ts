import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { SentiscopeError } from '../../src/shared/errors';
import { fileRefusal as refusal } from '../helpers/refusal';
import { formatMosiLabelCsv, parseMosiLabelCsv, type MosiRow } from '../../src/core/io/mosi-label-csv';
import { parseSegmentsCsv } from '../../src/core/io/segments-csv';

const HEADER = 'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const SEGMENTS_CSV = new URL('../../../shared/data/mosi/segments.csv', import.meta.url);

function row(over: Partial<MosiRow>): MosiRow {
  return {
    videoId: 'v',
    clipId: '1',
    text: '',
    label: null,
    labelT: null,
    labelA: null,
    labelV: null,
    annotation: null,
    mode: null,
    start: null,
    end: null,
    annotator: null,
    questionable: null,
    notes: null,
    extras: {},
    ...over,
  };
}

describe('MMSA label.csv', () => {
  it('reads every column, known extras and unknown extras', () => {
    const rows = parseMosiLabelCsv(fixture('label-canonical.csv'), 'label.csv');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual(
      row({
        videoId: 'vid_a',
        clipId: '2',
        text: 'well, not "great"',
        label: -0.8,
        labelT: -1,
        labelA: 0,
        labelV: -0.6,
        annotation: 'Negative',
        mode: 'valid',
        start: 4.25,
        end: 6,
        annotator: 'ann1',
        questionable: true,
        notes: 'unsure about\nthe sarcasm',
        extras: { speaker: 'f' },
      }),
    );
    expect(rows[3]).toEqual(row({ videoId: 'vid_b', clipId: '1', text: 'no label yet', extras: { speaker: 'm' } }));
  });

  it('keeps a canonical file byte for byte (format(parse(x)) == x)', () => {
    const text = fixture('label-canonical.csv');
    expect(formatMosiLabelCsv(parseMosiLabelCsv(text, 'label.csv'))).toBe(text);
  });

  it('gives rows back unchanged (parse(format(rows)) == rows) and derives the annotation', () => {
    const rows = [
      row({ videoId: 'a', clipId: '1', text: 'x, y', label: 2.4, mode: 'train', start: 0, end: 1.5 }),
      row({ videoId: 'a', clipId: '2', label: -3, labelT: -2.5, mode: 'test', start: 1.5, end: 2.25, annotator: 'me' }),
      row({ videoId: 'b', clipId: '7', label: 0, questionable: false, notes: 'a "quote"' }),
    ];
    const text = formatMosiLabelCsv(rows);
    expect(text.split('\n')[0]).toBe(`${HEADER},start_s,end_s,annotators,questionable,notes`);
    expect(text.split('\n')[1]).toBe('a,1,"x, y",2.4000,,,,Positive,train,0.000,1.500,,,');
    const back = parseMosiLabelCsv(text, 'out.csv');
    expect(back.map((r) => r.annotation)).toEqual(['Positive', 'Negative', 'Neutral']);
    expect(back).toEqual(rows.map((r, i) => ({ ...r, annotation: back[i].annotation })));
  });

  it('writes only the MMSA columns when rows carry nothing else', () => {
    const text = formatMosiLabelCsv([row({ label: -0.00001, mode: 'valid' })]);
    expect(text).toBe(`${HEADER}\nv,1,,0.0000,,,,Negative,valid\n`);
  });

  it('reads "dev" as valid and annotations in any case', () => {
    const rows = parseMosiLabelCsv(`${HEADER}\nv,1,t,1.0,,,,positive,dev\n`, 'l.csv');
    expect(rows[0].mode).toBe('valid');
    expect(rows[0].annotation).toBe('Positive');
  });

  it('refuses a row with label 7, naming the file and the line', () => {
    const text = `${HEADER}\nv,1,a,1.0000,,,,Positive,train\nv,2,b,7,,,,Positive,train\n`;
    const err = refusal(() => parseMosiLabelCsv(text, 'labels.csv'));
    expect(err).toBeInstanceOf(SentiscopeError);
    expect(err.code).toBe('bad-csv');
    expect(err.file).toBe('labels.csv');
    expect(err.message).toContain('labels.csv line 3: label 7 is outside the MOSI range [-3, 3]');
    expect(err.message).toMatch(/Nothing was imported/);
  });

  it('refuses a row with a missing cell, naming its line (after a multi-line quoted field)', () => {
    const text = `${HEADER}\nv,1,"two\nlines",1.0000,,,,Positive,train\nv,2,b,1.0000,,,,Positive\n`;
    const err = refusal(() => parseMosiLabelCsv(text, 'labels.csv'));
    expect(err.message).toContain('labels.csv line 4: expected 9 cells as in the header, found 8');
  });

  it('collects every bad row, not just the first', () => {
    const text = [HEADER, 'v,1,a,abc,,,,,train', 'v,1,dup,1,,,,,train', ',2,b,1,,,,Happy,holdout', 'w,3,c,1,,,,,'].join('\n');
    const err = refusal(() => parseMosiLabelCsv(text + '\n', 'l.csv'));
    expect(err.problems).toEqual([
      { line: 2, reason: 'label "abc" is not a number' },
      { line: 3, reason: 'video_id v clip_id 1 already appears on line 2' },
      { line: 4, reason: 'video_id is empty' },
      { line: 4, reason: 'annotation "Happy" is not Positive, Negative or Neutral' },
      { line: 4, reason: 'mode "holdout" is not train, valid or test' },
    ]);
  });

  it('caps the problems it keeps and says how many more there are', () => {
    const lines = [HEADER, ...Array.from({ length: 30 }, (_, i) => `v,${i},t,9,,,,,train`)];
    const err = refusal(() => parseMosiLabelCsv(lines.join('\n'), 'l.csv'));
    expect(err.problems).toHaveLength(20);
    expect(err.total).toBe(30);
    expect(err.message).toContain('and 25 more problems');
  });

  it('refuses start after end and negative times', () => {
    const text = `${HEADER},start_s,end_s\nv,1,a,1,,,,,train,5,4\nv,2,a,1,,,,,train,-1,4\n`;
    const err = refusal(() => parseMosiLabelCsv(text, 'l.csv'));
    expect(err.problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('refuses a header whose first columns are not the MMSA ones, in order', () => {
    const swapped = 'clip_id,video_id,text,label,label_T,label_A,label_V,annotation,mode\n1,v,t,1,,,,,train\n';
    expect(refusal(() => parseMosiLabelCsv(swapped, 'l.csv')).message).toMatch(/l\.csv line 1: the header must start with exactly/);
    const extraFirst = `notes,${HEADER}\nx,v,1,t,1,,,,,train\n`;
    expect(refusal(() => parseMosiLabelCsv(extraFirst, 'l.csv')).problems[0].line).toBe(1);
  });

  it('converts the real CMU-MOSI segments file to label.csv and keeps every label string', () => {
    // ../shared/data/mosi/segments.csv: video_id,clip_id,start_s,end_s,text,label,split.
    // dev -> valid; the 4 'untranscribed' rows are kept, with an empty mode and text.
    const source = readFileSync(SEGMENTS_CSV, 'utf8');
    const segments = parseSegmentsCsv(source, 'segments.csv');
    const rows: MosiRow[] = segments.map((s) =>
      row({ videoId: s.media, clipId: s.clipId ?? '', text: s.text, label: s.label, mode: s.split, start: s.start, end: s.end }),
    );
    const labelCsv = formatMosiLabelCsv(rows);
    const parsed = parseMosiLabelCsv(labelCsv, 'label.csv');
    expect(formatMosiLabelCsv(parsed)).toBe(labelCsv);
    expect(parsed).toHaveLength(2199);

    const raw = parseCsv(source);
    const col = (name: string) => raw.header.indexOf(name);
    const written = parseCsv(labelCsv).rows;
    let labelled = 0;
    raw.rows.forEach((r, i) => {
      const out = written[i].cells;
      expect(out.slice(0, 2)).toEqual([r.cells[col('video_id')], r.cells[col('clip_id')]]);
      // label is column 3 of label.csv; start_s/end_s are columns 9 and 10.
      expect(out[3]).toBe(r.cells[col('label')]);
      expect([out[9], out[10]]).toEqual([r.cells[col('start_s')], r.cells[col('end_s')]]);
      if (r.cells[col('label')] !== '') labelled++;
    });
    // README: test labels are withheld (685 empty); train 1,281 + dev 229 + 4 untranscribed are labelled.
    expect(labelled).toBe(1514);
    expect(parsed.filter((r) => r.mode === 'valid')).toHaveLength(229);
    expect(parsed.filter((r) => r.mode === null)).toHaveLength(4);
  });
});
