// Live mode's rating traces in the project file and out of it: the trace table's round trip
// (a take replaces its stretch and hands back what it replaced, which undo writes back),
// refusals that leave the file as it was, a format-4 project gaining the table, and the two
// exports through the real CLI: the trace CSV and the `<annotator> trace` tier of an .eaf
// (valid against EAF 3.0, xmllint) and of a TextGrid, read back by our own readers.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEaf } from '../../src/core/io/eaf';
import { parseTextGrid } from '../../src/core/io/textgrid';
import { addMediaFile, ProjectStore } from '../../src/core/store';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/core/store/migrations';
import { parseCsv } from '../../src/shared/csv';
import type { TraceSample } from '../../src/shared/trace';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

const SCHEMA = join(import.meta.dirname, '../../../shared/design/formats/EAFv3.0.xsd');
const XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
if (!XMLLINT) console.warn('trace-store-export: xmllint is absent (Debian libxml2-utils): the schema check is SKIPPED');

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-trace-');
});
afterAll(() => removeTempDir(dir));

/** Samples on the 10 Hz grid from tick `from`, one per value. */
function take(from: number, values: number[]): TraceSample[] {
  return values.map((value, i) => ({ time: (from + i) / 10, value }));
}

describe('trace store', () => {
  it('replaces a stretch, returns what was there, and undo by writing it back restores the trace', () => {
    const store = ProjectStore.open(join(dir, 'round-trip.sentiscope'));
    try {
      const media = store.addMedia({ name: 'talk' });
      const first = take(0, [0, 0.5, 1, 1, 1.5, 2]);
      expect(store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 0, end: 0.5, samples: first })).toEqual([]);
      // Another annotator's trace of the same media stays apart.
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_b', start: 0.2, end: 0.3, samples: take(2, [-3, 3]) });

      const second = take(2, [-1, -1.25]);
      const previous = store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 0.2, end: 0.3, samples: second });
      expect(previous).toEqual([
        { time: 0.2, value: 1 },
        { time: 0.3, value: 1 },
      ]);
      expect(store.getTrace(media.id, 'ann_a').samples.map((s) => s.value)).toEqual([0, 0.5, -1, -1.25, 1.5, 2]);
      expect(store.getTrace(media.id, 'ann_a').samples.map((s) => s.time)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);

      store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 0.2, end: 0.3, samples: previous });
      expect(store.getTrace(media.id, 'ann_a').samples).toEqual(first);
      // Undo of a first take: its span written back empty.
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_b', start: 0.2, end: 0.3, samples: [] });
      expect(store.listTraces(media.id).map((t) => t.annotator)).toEqual(['ann_a']);
    } finally {
      store.close();
    }
    // What another process reads from the file.
    const again = ProjectStore.open(join(dir, 'round-trip.sentiscope'));
    try {
      expect(again.listTraces(again.findMediaByName('talk')!.id)[0].samples).toEqual(take(0, [0, 0.5, 1, 1, 1.5, 2]));
    } finally {
      again.close();
    }
  });

  it('refuses samples off the grid, outside the take, out of range or without an annotator, writing nothing', () => {
    const store = ProjectStore.open(join(dir, 'refusals.sentiscope'));
    try {
      const media = store.addMedia({ name: 'talk' });
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 0, end: 0.1, samples: take(0, [1, 1]) });
      const replace =
        (samples: TraceSample[], annotator = 'ann_a', start = 0, end = 1) =>
        () =>
          store.replaceTrace({ mediaId: media.id, annotator, start, end, samples });
      expect(replace([{ time: 0.25, value: 0 }])).toThrow('not on the 10 Hz grid');
      expect(replace([{ time: 1.5, value: 0 }])).toThrow('outside the take');
      expect(replace([{ time: 0.5, value: 3.5 }])).toThrow('outside -3..3');
      expect(replace([{ time: 0.5, value: Number.NaN }])).toThrow('outside -3..3');
      expect(replace(take(3, [0, 0]).concat(take(3, [1])))).toThrow('given twice');
      expect(replace(take(0, [0]), '  ')).toThrow('annotator');
      expect(replace([], 'ann_a', 1, 0)).toThrow('0 <= start <= end');
      expect(() => store.replaceTrace({ mediaId: 999, annotator: 'ann_a', start: 0, end: 0, samples: [] })).toThrow('999');
      expect(store.getTrace(media.id, 'ann_a').samples).toEqual(take(0, [1, 1]));
    } finally {
      store.close();
    }
  });

  it('brings a format-4 project to the latest format with the trace table, keeping its labels', () => {
    const file = join(dir, 'format4.sentiscope');
    const db = new Database(file);
    migrate(db, file, MIGRATIONS.slice(0, 4));
    db.exec(`INSERT INTO project (id, name, created_at) VALUES (1, 'old', '2026-01-01T00:00:00Z')`);
    db.exec(`INSERT INTO media (id, name, kind, added_at) VALUES (1, 'talk', 'none', '2026-01-01T00:00:00Z')`);
    db.close();
    const store = ProjectStore.open(file);
    try {
      expect(store.listTraces(1)).toEqual([]);
      store.replaceTrace({ mediaId: 1, annotator: 'ann_a', start: 0, end: 0, samples: take(0, [2]) });
      expect(store.listTraces(1)).toEqual([{ mediaId: 1, annotator: 'ann_a', samples: [{ time: 0, value: 2 }] }]);
    } finally {
      store.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    check.close();
  });
});

describe('trace exports (CLI)', () => {
  const project = () => join(dir, 'export.sentiscope');

  beforeAll(async () => {
    const store = ProjectStore.open(project());
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const segment = store.createSegment({ mediaId: media.id, start: 0.5, end: 2, source: 'manual', text: 'so' });
      store.setMosiLabel({ segmentId: segment.id, annotator: 'ann_a', values: { score: 1, text: null, audio: null, visual: null } });
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 1, end: 1.5, samples: take(10, [0, 0, 1.5, 1.5, 1.5, -0.25]) });
      store.replaceTrace({ mediaId: media.id, annotator: 'ann b', start: 2, end: 2.1, samples: take(20, [-3, 3]) });
      // A second media item with a trace: the CSV has every media unless one is named.
      const other = store.addMedia({ name: 'other' });
      store.replaceTrace({ mediaId: other.id, annotator: 'ann_a', start: 0, end: 0, samples: take(0, [0.5]) });
    } finally {
      store.close();
    }
  });

  it('writes media,time_s,annotator,value for every sample', async () => {
    const out = join(dir, 'trace.csv');
    const run = await runSentiscope(['export', '--project', project(), '--format', 'trace', '--out', out]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'trace', rows: 9 });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('media,time_s,annotator,value\n')).toBe(true);
    const table = parseCsv(text);
    expect(table.header).toEqual(['media', 'time_s', 'annotator', 'value']);
    expect(table.rows.map((r) => r.cells.join(','))).toEqual([
      'Oz06ZWiO20M_6,2.0,ann b,-3.0000',
      'Oz06ZWiO20M_6,2.1,ann b,3.0000',
      'Oz06ZWiO20M_6,1.0,ann_a,0.0000',
      'Oz06ZWiO20M_6,1.1,ann_a,0.0000',
      'Oz06ZWiO20M_6,1.2,ann_a,1.5000',
      'Oz06ZWiO20M_6,1.3,ann_a,1.5000',
      'Oz06ZWiO20M_6,1.4,ann_a,1.5000',
      'Oz06ZWiO20M_6,1.5,ann_a,-0.2500',
      'other,0.0,ann_a,0.5000',
    ]);

    const one = join(dir, 'trace-one.csv');
    const named = await runSentiscope([
      'export',
      '--project',
      project(),
      '--format',
      'trace',
      '--media',
      'other',
      '--annotator',
      'ann_a',
      '--out',
      one,
    ]);
    expect(JSON.parse(named.stdout)).toMatchObject({ rows: 1 });
    expect(readFileSync(one, 'utf8')).toBe('media,time_s,annotator,value\nother,0.0,ann_a,0.5000\n');
  });

  it('adds a trace tier per annotator to the .eaf: runs of equal values at their times, valid against EAF 3.0', async () => {
    const eaf = join(dir, 'clip.eaf');
    const run = await runSentiscope(['export', '--project', project(), '--format', 'eaf', '--media', 'Oz06ZWiO20M_6', '--out', eaf]);
    expect(run.stderr).toBe('');
    const xml = readFileSync(eaf, 'utf8');
    expect(xml).toContain('<TIER LINGUISTIC_TYPE_REF="rating-trace" TIER_ID="ann_a trace" ANNOTATOR="ann_a">');
    expect(xml).toContain('LINGUISTIC_TYPE_ID="rating-trace" TIME_ALIGNABLE="true"');
    if (XMLLINT) {
      const check = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, eaf], { encoding: 'utf8' });
      expect(check.stderr).toContain('validates');
      expect(check.status).toBe(0);
    }
    const tiers = parseEaf(xml, eaf).tiers;
    const values = (name: string) => tiers.find((t) => t.name === name)?.annotations.map(({ start, end, value }) => [start, end, value]);
    expect(values('ann_a trace')).toEqual([
      [1, 1.2, '0.0000'],
      [1.2, 1.5, '1.5000'],
      [1.5, 1.6, '-0.2500'],
    ]);
    expect(values('ann b trace')).toEqual([
      [2, 2.1, '-3.0000'],
      [2.1, 2.2, '3.0000'],
    ]);
    expect(values('ann_a score')).toEqual([[0.5, 2, '1.0000']]);
  });

  it('adds a trace tier per annotator to the TextGrid: the runs, with empty intervals tiling the rest', async () => {
    const grid = join(dir, 'clip.TextGrid');
    const run = await runSentiscope(['export', '--project', project(), '--format', 'textgrid', '--media', 'Oz06ZWiO20M_6', '--out', grid]);
    expect(run.stderr).toBe('');
    const tiers = parseTextGrid(readFileSync(grid, 'utf8'), grid).tiers;
    const intervals = (name: string) => tiers.find((t) => t.name === name)?.annotations.map(({ start, end, value }) => [start, end, value]);
    expect(intervals('ann_a trace')).toEqual([
      [0, 1, ''],
      [1, 1.2, '0.0000'],
      [1.2, 1.5, '1.5000'],
      [1.5, 1.6, '-0.2500'],
      [1.6, 7.5, ''],
    ]);
    expect(intervals('ann b trace')).toEqual([
      [0, 2, ''],
      [2, 2.1, '-3.0000'],
      [2.1, 2.2, '3.0000'],
      [2.2, 7.5, ''],
    ]);
  });

  it('exports an item with a trace and no segments, and reads the trace back', async () => {
    for (const format of ['eaf', 'textgrid'] as const) {
      const out = join(dir, `other.${format}`);
      const run = await runSentiscope(['export', '--project', project(), '--format', format, '--media', 'other', '--out', out]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({ rows: 0 });
      if (format === 'eaf' && XMLLINT) expect(spawnSync('xmllint', ['--noout', '--schema', SCHEMA, out]).status).toBe(0);
      const copy = join(dir, `other-${format}.sentiscope`);
      const back = await runSentiscope(['import', '--project', copy, '--format', format, out]);
      expect(back.stderr).toBe('');
      expect(JSON.parse(back.stdout)).toMatchObject({ segments: 0, traces: 1, traceSamples: 1 });
      const store = ProjectStore.open(copy);
      try {
        expect(store.listTraces(store.findMediaByName('other')!.id)).toMatchObject([{ annotator: 'ann_a', samples: take(0, [0.5]) }]);
      } finally {
        store.close();
      }
    }
  });
});
