// Import and export through a real project file: what annotators get back out.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { exportFromProject } from '../../src/core/services/project-export';
import { importIntoProject } from '../../src/core/services/project-import';
import { ProjectStore } from '../../src/core/store';
import { SentiscopeError } from '../../src/shared/errors';
import { MOSI_CLIP, generatePngImage, makeTempDir, removeTempDir, textFileAsMedia } from '../helpers/generate-media';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-project-io-');
});
afterAll(() => removeTempDir(dir));

/** The SentiscopeError a call fails with, whether it throws or rejects. */
async function rejection(call: () => unknown): Promise<SentiscopeError> {
  try {
    await call();
  } catch (err) {
    if (err instanceof SentiscopeError) return err;
    throw err;
  }
  throw new Error('expected a SentiscopeError');
}

describe('MVSA posts', () => {
  it('keeps text, image and given pair labels apart and exports the merged pair label', async () => {
    const folder = join(dir, 'mvsa');
    mkdirSync(join(folder, 'images'), { recursive: true });
    for (const id of ['1', '2', '3', '4']) await generatePngImage(join(folder, 'images'), { name: `${id}.png` });
    const posts = join(folder, 'posts.csv');
    writeFileSync(
      posts,
      'id,text,image,text_label,image_label,label\n' +
        '1,sunny day,images/1.png,positive,neutral,positive\n' +
        '2,ugh,images/2.png,negative,negative,negative\n' +
        '3,mixed,images/3.png,positive,negative,\n' +
        '4,given only,images/4.png,,,neutral\n',
    );
    const store = ProjectStore.open(join(dir, 'mvsa.sentiscope'));
    try {
      const report = await importIntoProject(store, { format: 'mvsa', path: posts, annotator: 'ann' });
      expect(report).toMatchObject({ mediaCreated: 4, segments: 4, labels: 4 });
      const post3 = store.findMediaByName('3')!;
      expect(post3).toMatchObject({ kind: 'image', path: join(folder, 'images/3.png') });
      expect(store.listLabels(post3.id)[0].values).toEqual({ text: 'positive', image: 'negative', pair: null });

      const out = join(folder, 'export.csv');
      const exported = await exportFromProject(store, { format: 'mvsa', path: out });
      expect(exported).toMatchObject({ rows: 3, skippedConflicts: 1 });
      expect(readFileSync(out, 'utf8')).toBe(
        'id,text,image,text_label,image_label,label\n' +
          '1,sunny day,images/1.png,positive,neutral,positive\n' +
          '2,ugh,images/2.png,negative,negative,negative\n' +
          '4,given only,images/4.png,,,neutral\n',
      );
    } finally {
      store.close();
    }
  });

  it('refuses a posts file whose images are missing, importing nothing', async () => {
    const posts = join(dir, 'lonely-posts.csv');
    writeFileSync(posts, 'id,text,image,label\n9,hello,images/none.jpg,positive\n');
    const store = ProjectStore.open(join(dir, 'lonely.sentiscope'));
    try {
      const err = await rejection(() => importIntoProject(store, { format: 'mvsa', path: posts }));
      expect(err.code).toBe('bad-csv');
      expect(err.message).toContain(posts);
      expect(err.message).toContain('images/none.jpg');
      expect(store.listMedia()).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('MOSI export with several annotators', () => {
  it('writes the mean score, every annotator and the questionable flag; predictions never leak in', async () => {
    const store = ProjectStore.open(join(dir, 'team.sentiscope'));
    try {
      const media = store.addMedia({ name: 'vid' });
      const s = store.createSegment({ mediaId: media.id, start: 1, end: 2.5, source: 'manual', text: 'so good', split: 'train' });
      store.setMosiLabel({ segmentId: s.id, annotator: 'ana', values: { score: 2, text: 3, audio: null, visual: null } });
      store.setMosiLabel({
        segmentId: s.id,
        annotator: 'bo',
        values: { score: 1, text: 2, audio: null, visual: null },
        questionable: true,
        notes: 'sarcasm?',
      });
      const unlabelled = store.createSegment({ mediaId: media.id, start: 3, end: 4, source: 'manual' });
      store.addPrediction({
        segmentId: unlabelled.id,
        modelId: 'late-fusion',
        modelVersion: '1',
        score: -2,
        probabilities: { negative: 0.8, neutral: 0.1, positive: 0.1 },
        contributions: { text: -1, audio: -0.5, visual: null },
      });

      const out = join(dir, 'team.csv');
      expect(await exportFromProject(store, { format: 'mosi', path: out })).toMatchObject({ rows: 1 });
      expect(readFileSync(out, 'utf8')).toBe(
        'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode,start_s,end_s,annotators,questionable,notes,' +
          'n_annotators,label_ana,label_bo,provenance\n' +
          'vid,1,so good,1.5000,2.5000,,,Positive,train,1.000,2.500,ana;bo,true,sarcasm?,2,2.0000,1.0000,aggregated\n',
      );

      await exportFromProject(store, { format: 'mosi', path: out, annotator: 'ana' });
      expect(readFileSync(out, 'utf8').split('\n')[1]).toBe('vid,1,so good,2.0000,3.0000,,,Positive,train,1.000,2.500,ana');
    } finally {
      store.close();
    }
  });
});

describe('contract handlers', () => {
  let handlers: ServedContract;
  beforeAll(() => {
    handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data') });
  });
  afterAll(() => handlers.close());

  it('asks for a project before anything else', async () => {
    const err = await rejection(() => handlers['media:list'](undefined));
    expect(err.code).toBe('no-project');
  });

  it('adds real media, refuses a corrupt file without storing it, and serves peaks', async () => {
    await handlers['project:open']({ path: join(dir, 'handlers.sentiscope') });
    const clip = await handlers['media:add']({ path: MOSI_CLIP });
    expect(clip).toMatchObject({ name: 'Oz06ZWiO20M_6', kind: 'video', path: MOSI_CLIP });
    expect(clip.probe?.duration).toBeCloseTo(7.5, 2);
    // Adding the same file again gives the same item, not a copy.
    expect((await handlers['media:add']({ path: MOSI_CLIP })).id).toBe(clip.id);

    const fake = await textFileAsMedia(dir, 'not-a-video.mp4');
    const err = await rejection(() => handlers['media:add']({ path: fake }));
    expect(err.code).toBe('not-media');
    expect(err.message).toContain(fake);
    expect((await handlers['media:list'](undefined)).map((m) => m.name)).toEqual(['Oz06ZWiO20M_6']);

    const packed = await handlers['media:peaksPacked']({ mediaId: clip.id });
    const bytes = Buffer.from(packed.data, 'base64');
    const peaks = {
      ...packed,
      peaks: Array.from({ length: packed.count }, (_, i) => bytes.readFloatLE(i * 4)),
    };
    expect(peaks.duration).toBeCloseTo(7.5, 2);
    expect(peaks.peaks.length).toBeGreaterThan(7 * peaks.peaksPerSecond);
    expect(Math.max(...peaks.peaks)).toBeGreaterThan(0.05);
    expect(handlers.resolveMediaPath(clip.id)).toBe(MOSI_CLIP);
  });

  it('attaches a file to a video known only from imported labels', async () => {
    const labels = join(dir, 'clip-labels.csv');
    writeFileSync(
      labels,
      'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode\nOz06ZWiO20M_6,6,a label first,-0.8,,,,,train\n',
    );
    await handlers['project:open']({ path: join(dir, 'labels-first.sentiscope') });
    await handlers['io:import']({ format: 'mosi', path: labels });
    const [known] = await handlers['media:list'](undefined);
    expect(known.path).toBeNull();
    const attached = await handlers['media:add']({ path: MOSI_CLIP });
    expect(attached.id).toBe(known.id);
    expect(attached.kind).toBe('video');
    const [segment] = await handlers['segments:list']({ mediaId: known.id });
    expect(segment.text).toBe('a label first');
  });
});
