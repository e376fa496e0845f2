import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileRefusal as refusal } from '../helpers/refusal';
import { formatMvsaCsv, parseMvsaCsv, type MvsaRow } from '../../src/core/io/mvsa-csv';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const POSTS_CSV = new URL('../../../shared/data/mvsa/posts.csv', import.meta.url);

function post(over: Partial<MvsaRow>): MvsaRow {
  return { id: 'p', text: '', image: '', textLabel: null, imageLabel: null, pairLabel: null, split: null, extras: {}, ...over };
}

describe('MVSA posts CSV', () => {
  it('reads the export layout', () => {
    const rows = parseMvsaCsv(fixture('mvsa-export.csv'), 'mvsa.csv');
    expect(rows[0]).toEqual(
      post({
        id: 'p1',
        text: 'great day, sunny',
        image: 'images/p1.jpg',
        textLabel: 'positive',
        imageLabel: 'neutral',
        pairLabel: 'positive',
        split: 'train',
      }),
    );
    expect(rows[2]).toEqual(post({ id: 'p3', text: 'ugh', textLabel: 'negative', pairLabel: 'negative', split: 'test' }));
    expect(rows[3]).toEqual(post({ id: 'p4', text: 'just a label', image: 'images/p4.jpg', pairLabel: 'positive' }));
  });

  it('keeps a canonical export byte for byte', () => {
    const text = fixture('mvsa-export.csv');
    const out = formatMvsaCsv(parseMvsaCsv(text, 'mvsa.csv'));
    expect(out).toEqual({ text, rows: 5, skippedConflicts: 0 });
  });

  it('reads the simple id,text,image,label,split layout: the label is the pair label only', () => {
    const text = 'id,text,image,label,split\n1,hi,images/1.jpg,Positive,dev\n2,"a, b",images/2.jpg,NEUTRAL,train\n';
    expect(parseMvsaCsv(text, 'posts.csv')).toEqual([
      post({ id: '1', text: 'hi', image: 'images/1.jpg', pairLabel: 'positive', split: 'valid' }),
      post({ id: '2', text: 'a, b', image: 'images/2.jpg', pairLabel: 'neutral', split: 'train' }),
    ]);
  });

  it('exports the merged label, leaves conflicting posts out and counts them', () => {
    const rows = [
      post({ id: 'a', textLabel: 'positive', imageLabel: 'negative' }),
      post({ id: 'b', textLabel: 'neutral', imageLabel: 'negative' }),
      post({ id: 'c', textLabel: 'negative', imageLabel: 'positive', pairLabel: 'negative' }),
      post({ id: 'd', pairLabel: 'neutral' }),
      // A side label, once given, overrides an imported pair label.
      post({ id: 'e', imageLabel: 'negative', pairLabel: 'positive' }),
    ];
    const out = formatMvsaCsv(rows);
    expect(out.rows).toBe(3);
    expect(out.skippedConflicts).toBe(2);
    expect(out.text).toBe(
      'id,text,image,text_label,image_label,label\nb,,,neutral,negative,negative\nd,,,,,neutral\ne,,,,negative,negative\n',
    );
  });

  it('round-trips posts whose pair label follows the merge rule', () => {
    const rows = [
      post({
        id: '1',
        text: 'line\nbreak',
        image: 'i/1.png',
        textLabel: 'neutral',
        imageLabel: 'positive',
        pairLabel: 'positive',
        split: 'train',
      }),
      post({ id: '2', text: 'x', pairLabel: 'negative', split: 'test', extras: { author: '@me' } }),
      post({ id: '3', text: 'unlabelled' }),
    ];
    expect(parseMvsaCsv(formatMvsaCsv(rows).text, 'out.csv')).toEqual(
      rows.map((r) => ({ ...r, extras: { author: r.extras.author ?? '' } })),
    );
  });

  it('refuses bad rows by line: unknown polarity, duplicate id, a label against the merge rule', () => {
    const text = [
      'id,text,image,text_label,image_label,label',
      '1,a,,positive,neutral,positive',
      '2,b,,mixed,neutral,',
      '1,c,,neutral,neutral,neutral',
      '4,d,,positive,negative,positive',
      '5,e,,neutral,negative,positive',
    ].join('\n');
    const err = refusal(() => parseMvsaCsv(text, 'mvsa.csv'));
    expect(err.code).toBe('bad-csv');
    expect(err.problems).toEqual([
      { line: 3, reason: 'text_label "mixed" is not positive, neutral or negative' },
      { line: 4, reason: 'id 1 already appears on line 2' },
      { line: 5, reason: 'label is positive but text positive and image negative conflict (leave label empty)' },
      { line: 6, reason: 'label is positive but text neutral and image negative merge to negative' },
    ]);
    expect(err.message).toMatch(/^mvsa\.csv line 3: /);
  });

  it('refuses a file without the needed columns', () => {
    expect(refusal(() => parseMvsaCsv('id,text,label\n1,a,positive\n', 'm.csv')).message).toMatch(/m\.csv line 1: missing column image/);
    expect(refusal(() => parseMvsaCsv('id,text,image\n1,a,b\n', 'm.csv')).message).toMatch(/no label column/);
  });

  it('reads the real MVSA posts file', () => {
    const rows = parseMvsaCsv(readFileSync(POSTS_CSV, 'utf8'), 'posts.csv');
    // README: train 2,830 / dev 440.
    expect(rows.filter((r) => r.split === 'train')).toHaveLength(2830);
    expect(rows.filter((r) => r.split === 'valid')).toHaveLength(440);
    expect(rows.every((r) => r.pairLabel !== null && r.textLabel === null && r.image.startsWith('images/'))).toBe(true);
    // Exported, every post keeps its label (no side labels, so nothing can conflict).
    const out = formatMvsaCsv(rows);
    expect(out.skippedConflicts).toBe(0);
    expect(parseMvsaCsv(out.text, 'export.csv').map((r) => r.pairLabel)).toEqual(rows.map((r) => r.pairLabel));
  });
});
