// Praat .TextGrid export and import through the real CLI and a real project file; Praat itself
// (Debian `praat`) reads what Sentiscope writes, and writes the short UTF-16 file read back.

import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMediaFile, ProjectStore } from '../../src/core/store';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { mediaContents } from '../helpers/media-contents';
import { runSentiscope } from '../helpers/sentiscope-cli';

const PRAAT = spawnSync('praat', ['--version']).status === 0;
if (!PRAAT) console.warn('textgrid-io: praat is absent (Debian praat): the checks that Praat reads the files are SKIPPED');
const LIST_TIERS = join(import.meta.dirname, '../fixtures/praat/list-tiers.praat');

/** Samples on the 10 Hz grid from tick `from`, one per value. */
const take = (from: number, values: number[]) => values.map((value, i) => ({ time: (from + i) / 10, value }));

/** Every annotator's trace samples of a media item, to compare two projects by. */
function tracesOf(store: ProjectStore, name: string) {
  return store.listTraces(store.findMediaByName(name)!.id).map((t) => [t.annotator, t.samples]);
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-textgrid-');
});
afterAll(() => removeTempDir(dir));

describe('Praat TextGrid export and import', () => {
  const source = () => join(dir, 'source.sentiscope');
  const grid = () => join(dir, 'clip.TextGrid');

  beforeAll(async () => {
    const store = ProjectStore.open(source());
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const s1 = store.createSegment({ mediaId: media.id, start: 0.5, end: 2.345, source: 'manual', text: 'he said "wow" – naïve' });
      const s2 = store.createSegment({ mediaId: media.id, start: 2.345, end: 4.1, source: 'manual', text: 'but the end' });
      const s3 = store.createSegment({ mediaId: media.id, start: 5, end: 7.25, source: 'manual', text: '' });
      store.setMosiLabel({ segmentId: s1.id, annotator: 'ann_a', values: { score: 2.4, text: 3, audio: null, visual: null } });
      store.setMosiLabel({ segmentId: s2.id, annotator: 'ann_a', values: { score: -0.8, text: null, audio: null, visual: null } });
      store.setMosiLabel({ segmentId: s1.id, annotator: 'ann_b', values: { score: 1, text: null, audio: null, visual: null } });
      store.setMosiLabel({ segmentId: s3.id, annotator: 'ann_b', values: { score: -3, text: null, audio: null, visual: null } });
      store.setMvsaLabel({ segmentId: s2.id, annotator: 'ann_b', values: { text: 'negative', image: null, pair: null } });
      // Live mode's traces: a held key then a step down; a sample at the clip's very end, whose step runs past it.
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 1, end: 1.2, samples: take(10, [1, 1, -0.5]) });
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_b', start: 7.5, end: 7.5, samples: take(75, [2]) });
    } finally {
      store.close();
    }
    const run = await runSentiscope(['export', '--project', source(), '--format', 'textgrid', '--media', 'Oz06ZWiO20M_6', '--out', grid()]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'textgrid', rows: 3 });
  });

  it('writes interval tiers that tile the whole clip, quotes doubled', () => {
    const text = readFileSync(grid(), 'utf8');
    expect(text.startsWith('File type = "ooTextFile"\nObject class = "TextGrid"\n\nxmin = 0 \n')).toBe(true);
    expect(text).toContain('text = "he said ""wow"" – naïve" ');
    expect([...text.matchAll(/name = "([^"]+)"/g)].map((m) => m[1])).toEqual([
      'transcript',
      'ann_a score',
      'ann_a text',
      'ann_b score',
      'ann_b text_label',
      'ann_a trace',
      'ann_b trace',
    ]);
    // The tiers tile 0..7.6 s: the last trace sample's 0.1 s step runs past the 7.5 s clip.
    expect(text).toContain('xmin = 0 \nxmax = 7.6 \n');
  });

  it.skipIf(!PRAAT)(
    "is read by Praat itself, every labelled interval in place; Praat's short UTF-16 copy imports to the same project",
    async () => {
      const short = join(dir, 'Oz06ZWiO20M_6.TextGrid');
      const praat = spawnSync('praat', ['--run', LIST_TIERS, grid(), short], { encoding: 'utf8', timeout: 60_000 });
      expect(praat.stderr).toBe('');
      expect(praat.status).toBe(0);
      const lines = praat.stdout.replace(/\n$/, '').split('\n');
      const xmax = '7.600'; // the clip's duration and the last trace step: the tiers tile the whole file
      expect(lines.filter((l) => l.startsWith('tier\t'))).toEqual([
        'tier\ttranscript\t6',
        'tier\tann_a score\t4',
        'tier\tann_a text\t3',
        'tier\tann_b score\t5',
        'tier\tann_b text_label\t3',
        'tier\tann_a trace\t4',
        'tier\tann_b trace\t2',
      ]);
      const labelled = lines.filter((l) => l.startsWith('interval\t') && !l.endsWith('\t'));
      expect(labelled).toEqual([
        'interval\ttranscript\t0.500\t2.345\the said "wow" – naïve',
        'interval\ttranscript\t2.345\t4.100\tbut the end',
        'interval\tann_a score\t0.500\t2.345\t2.4000',
        'interval\tann_a score\t2.345\t4.100\t-0.8000',
        'interval\tann_a text\t0.500\t2.345\t3.0000',
        'interval\tann_b score\t0.500\t2.345\t1.0000',
        'interval\tann_b score\t5.000\t7.250\t-3.0000',
        'interval\tann_b text_label\t2.345\t4.100\tnegative',
        'interval\tann_a trace\t1.000\t1.200\t1.0000',
        'interval\tann_a trace\t1.200\t1.300\t-0.5000',
        'interval\tann_b trace\t7.500\t7.600\t2.0000',
      ]);
      expect(lines.filter((l) => l.startsWith('interval\t')).every((l) => l.split('\t')[3] <= xmax)).toBe(true);
      expect(lines).toContain(`interval\tann_b score\t7.250\t${xmax}\t`);

      // Praat's own short format, UTF-16 BE with a BOM; no clip beside it, so --media-file names it.
      expect(readFileSync(short).subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
      const copy = join(dir, 'copy.sentiscope');
      const run = await runSentiscope(['import', '--project', copy, '--format', 'textgrid', short, '--media-file', MOSI_CLIP]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({
        mediaCreated: 0,
        segments: 3,
        labels: 5,
        traces: 2,
        traceSamples: 4,
        skippedTiers: [],
      });
      const [a, b] = [ProjectStore.open(source()), ProjectStore.open(copy)];
      try {
        expect(mediaContents(b, 'Oz06ZWiO20M_6')).toEqual(mediaContents(a, 'Oz06ZWiO20M_6'));
        expect(tracesOf(b, 'Oz06ZWiO20M_6')).toEqual(tracesOf(a, 'Oz06ZWiO20M_6'));
      } finally {
        a.close();
        b.close();
      }
    },
  );

  it('imports the long format it wrote, finding the media beside the file by name', async () => {
    const folder = await makeTempDir('sentiscope-textgrid-pair-');
    try {
      copyFileSync(MOSI_CLIP, join(folder, 'Oz06ZWiO20M_6.mp4'));
      copyFileSync(grid(), join(folder, 'Oz06ZWiO20M_6.TextGrid'));
      const project = join(folder, 'pair.sentiscope');
      const run = await runSentiscope(['import', '--project', project, '--format', 'textgrid', join(folder, 'Oz06ZWiO20M_6.TextGrid')]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({ mediaCreated: 1, segments: 3, labels: 5, traces: 2, traceSamples: 4 });
      const [a, b] = [ProjectStore.open(source()), ProjectStore.open(project)];
      try {
        expect(b.findMediaByName('Oz06ZWiO20M_6')).toMatchObject({ path: join(folder, 'Oz06ZWiO20M_6.mp4'), kind: 'video' });
        expect(mediaContents(b, 'Oz06ZWiO20M_6')).toEqual(mediaContents(a, 'Oz06ZWiO20M_6'));
        expect(tracesOf(b, 'Oz06ZWiO20M_6')).toEqual(tracesOf(a, 'Oz06ZWiO20M_6'));
      } finally {
        a.close();
        b.close();
      }
    } finally {
      await removeTempDir(folder);
    }
  });
});

describe('TextGrid files from elsewhere', () => {
  it('refuses a trace tier with a value outside -3..+3, naming the tier and time, importing nothing', async () => {
    const file = join(dir, 'bad-trace.TextGrid');
    writeFileSync(
      file,
      'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n2\n<exists>\n1\n"IntervalTier"\n"jo trace"\n0\n2\n3\n' +
        '0\n0.5\n""\n0.5\n1\n"-1"\n1\n2\n"-4"\n',
    );
    const project = join(dir, 'bad-trace.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'textgrid', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file} line 18: tier "jo trace" at 1.000–2.000 s: "-4" is not a trace value in [-3, 3]`);
    expect(run.stderr).toContain('fix these annotations in Praat');
    const store = ProjectStore.open(project);
    expect(store.listMedia()).toEqual([]);
    store.close();
  });

  it('reads a short-format file with a point tier, skipping it, and tiers it does not know', async () => {
    const file = join(dir, 'interview.TextGrid');
    writeFileSync(
      file,
      'File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n6\n<exists>\n3\n' +
        '"IntervalTier"\n"transcript"\n0\n6\n3\n0\n1\n""\n1\n2.5\n"hello ""you"""\n2.5\n6\n""\n' +
        '"IntervalTier"\n"mo score"\n0\n6\n2\n0\n1\n""\n1\n6\n"-1.5"\n' +
        '"TextTier"\n"beats"\n0\n6\n1\n3.2\n"x"\n',
    );
    const project = join(dir, 'interview.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'textgrid', file]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ mediaCreated: 1, segments: 2, labels: 1, skippedTiers: ['beats'] });
    const store = ProjectStore.open(project);
    try {
      expect(mediaContents(store, 'interview')).toEqual({
        segments: [
          { start: 1, end: 2.5, text: 'hello "you"' },
          { start: 1, end: 6, text: '' },
        ],
        labels: [{ span: '1-6', annotator: 'mo', scheme: 'mosi', values: { score: -1.5, text: null, audio: null, visual: null } }],
      });
    } finally {
      store.close();
    }
  });

  it('refuses a file that ends early or holds a bad score, naming the line, importing nothing', async () => {
    const cut = join(dir, 'cut.TextGrid');
    writeFileSync(
      cut,
      'File type = "ooTextFile"\nObject class = "TextGrid"\n\nxmin = 0\nxmax = 2\ntiers? <exists>\nsize = 1\nitem []:\n    item [1]:\n        class = "IntervalTier"\n        name = "transcript"\n',
    );
    const project = join(dir, 'refused.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'textgrid', cut]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${cut} line 11: the file ends where the start time of tier "transcript" should be`);

    const bad = join(dir, 'bad.TextGrid');
    writeFileSync(
      bad,
      'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n2\n<exists>\n1\n"IntervalTier"\n"jo score"\n0\n2\n1\n0\n2\n"7"\n',
    );
    const again = await runSentiscope(['import', '--project', project, '--format', 'textgrid', bad]);
    expect(again.stderr).toContain(`${bad} line 12: tier "jo score" at 0.000–2.000 s: "7" is not a score in [-3, 3]`);
    const store = ProjectStore.open(project);
    expect(store.listMedia()).toEqual([]);
    store.close();
  });
});
