// The project store on real SQLite files: round trips of every entity, labels kept apart
// from predictions, transactions that roll back, cascades, non-ASCII paths.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { MvsaLabelValues, ProbeInfo } from '../../src/shared/domain';
import { SentiscopeError } from '../../src/shared/errors';
import { ProjectStore } from '../../src/core/store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sentiscope-store-crud-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
function freshStore(): ProjectStore {
  counter += 1;
  return ProjectStore.open(path.join(tmp, `p${counter}`, 'project.sentiscope'));
}

function errorOf(fn: () => unknown): SentiscopeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SentiscopeError);
    return err as SentiscopeError;
  }
  throw new Error('expected a SentiscopeError, nothing was thrown');
}

/** Row counts read through a second, independent connection: what is really on disk. */
function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const probe: ProbeInfo = {
  duration: 7.5,
  video: { width: 480, height: 360, fps: 30, codec: 'h264' },
  audio: { sampleRate: 44100, channels: 2, codec: 'aac' },
};

let store: ProjectStore;
beforeEach(() => {
  store?.close();
  store = freshStore();
});
afterAll(() => store?.close());

describe('project', () => {
  it('creates the file and its folders, named after the file, and keeps it on reopen', () => {
    const file = path.join(tmp, 'nested', 'deeper', 'My Study.sentiscope');
    const first = ProjectStore.open(file);
    const project = first.project();
    first.close();
    expect(fs.existsSync(file)).toBe(true);
    expect(project.name).toBe('My Study');
    expect(Number.isNaN(Date.parse(project.createdAt))).toBe(false);

    const again = ProjectStore.open(file, { name: 'ignored for an existing project' });
    expect(again.project()).toEqual(project);
    expect(again.path).toBe(file);
    again.close();
  });
});

describe('media', () => {
  it('round-trips a media item with its probe', () => {
    const added = store.addMedia({ name: 'Oz06ZWiO20M', path: '/data/Oz06ZWiO20M.mp4', identity: 'sz:1-abc', kind: 'video', probe });
    expect(added).toMatchObject({ name: 'Oz06ZWiO20M', path: '/data/Oz06ZWiO20M.mp4', identity: 'sz:1-abc', kind: 'video', probe });
    expect(added.projectId).toBe(store.project().id);

    store.close();
    store = ProjectStore.open(store.path);
    expect(store.getMedia(added.id)).toEqual(added);
    expect(store.findMediaByName('Oz06ZWiO20M')).toEqual(added);
    expect(store.findMediaByPath('/data/Oz06ZWiO20M.mp4')).toEqual(added);
    expect(store.findMediaByName('nope')).toBeNull();
    expect(store.findMediaByPath('/data/nope.mp4')).toBeNull();
  });

  it('lists media by name and refuses unknown ids', () => {
    store.addMedia({ name: 'b', path: '/b.mp4', kind: 'video' });
    store.addMedia({ name: 'a', path: null });
    expect(store.listMedia().map((m) => m.name)).toEqual(['a', 'b']);
    const err = errorOf(() => store.getMedia(999));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain(store.path);
  });

  it('is get-or-create by name: attaches a file to a name-only item, refuses a second file', () => {
    const nameOnly = store.addMedia({ name: 'clip' });
    expect(nameOnly).toMatchObject({ path: null, kind: 'none', probe: null });

    const attached = store.addMedia({ name: 'clip', path: '/x/clip.mp4', identity: 'id1', kind: 'video', probe });
    expect(attached.id).toBe(nameOnly.id);
    expect(attached).toMatchObject({ path: '/x/clip.mp4', identity: 'id1', kind: 'video', probe });

    expect(store.addMedia({ name: 'clip', path: '/x/clip.mp4' })).toEqual(attached);
    expect(store.addMedia({ name: 'clip' })).toEqual(attached);

    const err = errorOf(() => store.addMedia({ name: 'clip', path: '/y/clip.mp4', kind: 'video' }));
    expect(err.code).toBe('bad-request');
    expect(err.message).toContain('/x/clip.mp4');
    expect(err.message).toContain('/y/clip.mp4');
    expect(store.listMedia()).toHaveLength(1);
  });

  it('relinks a moved file', () => {
    const m = store.addMedia({ name: 'clip', path: '/old/clip.mp4', identity: 'i1', kind: 'video', probe });
    const moved = store.updateMediaFile(m.id, { path: '/new/clip.wav', identity: 'i2', kind: 'audio', probe: null });
    expect(moved).toEqual({ ...m, path: '/new/clip.wav', identity: 'i2', kind: 'audio', probe: null });
    expect(store.findMediaByPath('/old/clip.mp4')).toBeNull();
    expect(errorOf(() => store.updateMediaFile(42, { path: null, identity: null, kind: 'none', probe: null })).code).toBe('not-found');
  });
});

describe('segments', () => {
  it('round-trips segments with words and split, numbering clip ids within each media', () => {
    const a = store.addMedia({ name: 'a' });
    const b = store.addMedia({ name: 'b' });
    const words = [
      { word: 'hello', start: 1, end: 1.4 },
      { word: 'there', start: 1.5, end: 2 },
    ];
    const s1 = store.createSegment({ mediaId: a.id, start: 1, end: 2, source: 'asr', text: 'hello there', words, split: 'train' });
    expect(s1).toEqual({
      id: s1.id,
      mediaId: a.id,
      clipId: '1',
      start: 1,
      end: 2,
      source: 'asr',
      text: 'hello there',
      words,
      split: 'train',
      aligned: true,
    });
    expect(store.createSegment({ mediaId: a.id, clipId: '7', start: 3, end: 4, source: 'import' }).clipId).toBe('7');
    expect(store.createSegment({ mediaId: a.id, clipId: '7b', start: 5, end: 6, source: 'import' }).clipId).toBe('7b');
    const next = store.createSegment({ mediaId: a.id, start: 0, end: 0.5, source: 'vad' });
    expect(next).toMatchObject({ clipId: '8', text: '', words: null, split: null });
    expect(store.createSegment({ mediaId: b.id, start: 0, end: 1, source: 'manual' }).clipId).toBe('1');

    store.close();
    store = ProjectStore.open(store.path);
    expect(store.getSegment(s1.id)).toEqual(s1);
    expect(store.findSegment(a.id, '1')).toEqual(s1);
    expect(store.findSegment(a.id, '99')).toBeNull();
    // Ordered by start, whatever the insertion order.
    expect(store.listSegments(a.id).map((s) => s.clipId)).toEqual(['8', '1', '7', '7b']);
  });

  it('refuses bad spans and taken clip ids, writing nothing', () => {
    const m = store.addMedia({ name: 'a' });
    expect(errorOf(() => store.createSegment({ mediaId: m.id, start: -1, end: 1, source: 'manual' })).code).toBe('bad-request');
    expect(errorOf(() => store.createSegment({ mediaId: m.id, start: 2, end: 1, source: 'manual' })).code).toBe('bad-request');
    expect(errorOf(() => store.createSegment({ mediaId: m.id, start: Number.NaN, end: 1, source: 'manual' })).code).toBe('bad-request');
    store.createSegment({ mediaId: m.id, clipId: 'x', start: 0, end: 1, source: 'manual' });
    const taken = errorOf(() => store.createSegment({ mediaId: m.id, clipId: 'x', start: 1, end: 2, source: 'manual' }));
    expect(taken.code).toBe('bad-request');
    expect(taken.message).toContain('"x"');
    expect(errorOf(() => store.createSegment({ mediaId: 404, start: 0, end: 1, source: 'manual' })).code).toBe('not-found');
    expect(countRows(store.path, 'segment')).toBe(1);
  });

  it('updates only the fields a patch names', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 1, end: 2, source: 'vad', text: 'old' });
    const other = store.createSegment({ mediaId: m.id, start: 3, end: 4, source: 'vad' });
    const updated = store.updateSegment(s.id, { text: 'new text', end: 2.5, split: 'test', start: undefined });
    expect(updated).toEqual({ ...s, text: 'new text', end: 2.5, split: 'test' });
    expect(store.getSegment(s.id)).toEqual(updated);
    expect(errorOf(() => store.updateSegment(s.id, { start: 3 })).code).toBe('bad-request');
    expect(errorOf(() => store.updateSegment(s.id, { clipId: other.clipId })).code).toBe('bad-request');
    expect(errorOf(() => store.updateSegment(12345, { text: 'x' })).code).toBe('not-found');
    expect(store.getSegment(s.id)).toEqual(updated);
  });

  it('deletes a segment and refuses unknown ones', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 1, end: 2, source: 'manual' });
    store.deleteSegment(s.id);
    expect(store.listSegments(m.id)).toEqual([]);
    expect(errorOf(() => store.getSegment(s.id)).code).toBe('not-found');
    expect(errorOf(() => store.deleteSegment(s.id)).code).toBe('not-found');
    expect(errorOf(() => store.listSegments(999)).code).toBe('not-found');
  });
});

describe('labels', () => {
  it('upserts a MOSI label per segment and annotator, keeping notes when not given', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'import' });
    const first = store.setMosiLabel({
      segmentId: s.id,
      annotator: 'ann1',
      values: { score: 1.4, text: 2, audio: null, visual: -0.5 },
      notes: 'sarcastic?',
      questionable: true,
    });
    expect(first).toMatchObject({
      segmentId: s.id,
      annotator: 'ann1',
      scheme: 'mosi',
      values: { score: 1.4, text: 2, audio: null, visual: -0.5 },
      notes: 'sarcastic?',
      questionable: true,
    });
    const second = store.setMosiLabel({ segmentId: s.id, annotator: 'ann1', values: { score: -3, text: null, audio: null, visual: null } });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ values: { score: -3, text: null, audio: null, visual: null }, notes: 'sarcastic?', questionable: true });
    expect(Date.parse(second.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
    const cleared = store.setMosiLabel({ segmentId: s.id, annotator: 'ann1', values: second.values, notes: '', questionable: false });
    expect(cleared).toMatchObject({ id: first.id, notes: '', questionable: false });

    const otherAnnotator = store.setMosiLabel({
      segmentId: s.id,
      annotator: 'ann2',
      values: { score: 0, text: null, audio: null, visual: null },
    });
    expect(otherAnnotator.id).not.toBe(first.id);

    store.close();
    store = ProjectStore.open(store.path);
    expect(store.getLabel(first.id)).toEqual(cleared);
    expect(store.listLabelsForSegment(s.id)).toEqual([cleared, otherAnnotator]);
  });

  it('keeps MVSA and MOSI labels of the same annotator apart', () => {
    const m = store.addMedia({ name: 'post1', kind: 'image' });
    const s = store.createSegment({ mediaId: m.id, start: 0, end: 0, source: 'import', text: 'great day' });
    const mvsa = store.setMvsaLabel({ segmentId: s.id, annotator: 'ann1', values: { text: 'positive', image: 'neutral', pair: null } });
    const mosi = store.setMosiLabel({ segmentId: s.id, annotator: 'ann1', values: { score: 2, text: null, audio: null, visual: null } });
    expect(mvsa).toMatchObject({ scheme: 'mvsa', values: { text: 'positive', image: 'neutral' }, notes: '', questionable: false });
    expect(mvsa.id).not.toBe(mosi.id);
    const changed = store.setMvsaLabel({ segmentId: s.id, annotator: 'ann1', values: { text: 'negative', image: null, pair: null } });
    expect(changed).toMatchObject({ id: mvsa.id, values: { text: 'negative', image: null } });
    expect(store.getLabel(mosi.id)).toEqual(mosi);
  });

  it('lists the labels of a media item in segment order', () => {
    const m = store.addMedia({ name: 'a' });
    const late = store.createSegment({ mediaId: m.id, start: 5, end: 6, source: 'manual' });
    const early = store.createSegment({ mediaId: m.id, start: 1, end: 2, source: 'manual' });
    const other = store.addMedia({ name: 'b' });
    const elsewhere = store.createSegment({ mediaId: other.id, start: 0, end: 1, source: 'manual' });
    const v = { score: 1, text: null, audio: null, visual: null };
    store.setMosiLabel({ segmentId: late.id, annotator: 'x', values: v });
    store.setMosiLabel({ segmentId: early.id, annotator: 'x', values: v });
    store.setMosiLabel({ segmentId: elsewhere.id, annotator: 'x', values: v });
    expect(store.listLabels(m.id).map((l) => l.segmentId)).toEqual([early.id, late.id]);
  });

  it('refuses out-of-range values, empty annotators and unknown segments', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'manual' });
    const v = { score: 1, text: null, audio: null, visual: null };
    expect(errorOf(() => store.setMosiLabel({ segmentId: s.id, annotator: 'x', values: { ...v, score: 3.5 } })).code).toBe('bad-request');
    expect(errorOf(() => store.setMosiLabel({ segmentId: s.id, annotator: 'x', values: { ...v, audio: -4 } })).code).toBe('bad-request');
    expect(errorOf(() => store.setMosiLabel({ segmentId: s.id, annotator: '  ', values: v })).code).toBe('bad-request');
    const badPolarity = { text: 'happy', image: null, pair: null } as unknown as MvsaLabelValues;
    expect(errorOf(() => store.setMvsaLabel({ segmentId: s.id, annotator: 'x', values: badPolarity })).code).toBe('bad-request');
    expect(errorOf(() => store.setMosiLabel({ segmentId: 999, annotator: 'x', values: v })).code).toBe('not-found');
    expect(countRows(store.path, 'label')).toBe(0);
  });

  it('deletes a label', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'manual' });
    const l = store.setMvsaLabel({ segmentId: s.id, annotator: 'x', values: { text: 'neutral', image: 'neutral', pair: null } });
    store.deleteLabel(l.id);
    expect(store.listLabelsForSegment(s.id)).toEqual([]);
    expect(errorOf(() => store.deleteLabel(l.id)).code).toBe('not-found');
  });
});

describe('predictions', () => {
  const base = {
    score: 1.25,
    probabilities: { negative: 0.1, neutral: 0.2, positive: 0.7 },
    contributions: { text: 0.9, audio: 0.3, visual: null },
  };

  it('round-trips a prediction and lists the latest per segment per model version', () => {
    const m = store.addMedia({ name: 'a' });
    const s1 = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'vad' });
    const s2 = store.createSegment({ mediaId: m.id, start: 2, end: 3, source: 'vad' });
    const old = store.addPrediction({ segmentId: s1.id, modelId: 'seed-fusion', modelVersion: '1', ...base });
    expect(old).toMatchObject({ segmentId: s1.id, modelId: 'seed-fusion', modelVersion: '1', ...base });
    const rerun = store.addPrediction({ segmentId: s1.id, modelId: 'seed-fusion', modelVersion: '1', ...base, score: -0.5 });
    const v2 = store.addPrediction({ segmentId: s1.id, modelId: 'seed-fusion', modelVersion: '2', ...base, score: 2 });
    const onS2 = store.addPrediction({ segmentId: s2.id, modelId: 'seed-fusion', modelVersion: '1', ...base });

    store.close();
    store = ProjectStore.open(store.path);
    expect(store.listPredictions(m.id)).toEqual([rerun, v2, onS2]);
    expect(store.listPredictionsForSegment(s1.id)).toEqual([v2, rerun, old]);
  });

  it('refuses malformed predictions', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'vad' });
    const ok = { segmentId: s.id, modelId: 'm', modelVersion: '1', ...base };
    expect(errorOf(() => store.addPrediction({ ...ok, modelVersion: '' })).code).toBe('bad-request');
    expect(errorOf(() => store.addPrediction({ ...ok, score: Number.NaN })).code).toBe('bad-request');
    expect(errorOf(() => store.addPrediction({ ...ok, probabilities: { ...base.probabilities, positive: 1.5 } })).code).toBe('bad-request');
    expect(errorOf(() => store.addPrediction({ ...ok, segmentId: 999 })).code).toBe('not-found');
    expect(countRows(store.path, 'prediction')).toBe(0);
  });
});

describe('labels and predictions stay apart', () => {
  it('adding a prediction never changes a label, and a label upsert never changes a prediction', () => {
    const m = store.addMedia({ name: 'a' });
    const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'vad' });
    const label = store.setMosiLabel({ segmentId: s.id, annotator: 'ann', values: { score: -2, text: null, audio: null, visual: null } });
    const prediction = store.addPrediction({
      segmentId: s.id,
      modelId: 'm',
      modelVersion: '1',
      score: 2.5,
      probabilities: { negative: 0, neutral: 0.1, positive: 0.9 },
      contributions: { text: 2, audio: 0.5, visual: 0 },
    });
    expect(store.listLabels(m.id)).toEqual([label]);

    const relabelled = store.setMosiLabel({ segmentId: s.id, annotator: 'ann', values: { score: 1, text: 1, audio: null, visual: null } });
    expect(store.listPredictions(m.id)).toEqual([prediction]);
    expect(store.listPredictionsForSegment(s.id)).toEqual([prediction]);
    expect(store.listLabels(m.id)).toEqual([relabelled]);
  });

  it('no table holds both label columns and prediction columns', () => {
    const db = new Database(store.path, { readonly: true });
    const tables = (
      db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const columns = new Map(
      tables.map((t) => [t, (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((c) => c.name)]),
    );
    db.close();
    const columnsOf = (table: string) => columns.get(table) ?? [];
    expect(tables).toEqual(expect.arrayContaining(['project', 'media', 'segment', 'label', 'prediction']));

    const labelOnly = columnsOf('label').filter((c) => !['id', 'segment_id'].includes(c));
    const predictionOnly = columnsOf('prediction').filter((c) => !['id', 'segment_id'].includes(c));
    expect(labelOnly).toEqual(expect.arrayContaining(['annotator', 'mosi_score', 'mvsa_text', 'notes', 'questionable']));
    expect(predictionOnly).toEqual(expect.arrayContaining(['model_id', 'model_version', 'score', 'p_positive', 'contrib_text']));
    expect(labelOnly.filter((c) => predictionOnly.includes(c))).toEqual([]);
    for (const table of tables) {
      const cols = columnsOf(table);
      const hasLabel = cols.some((c) => labelOnly.includes(c));
      const hasPrediction = cols.some((c) => predictionOnly.includes(c));
      expect({ table, both: hasLabel && hasPrediction }).toEqual({ table, both: false });
    }
  });
});

describe('transactions', () => {
  it('a throwing transaction leaves nothing behind', () => {
    const kept = store.addMedia({ name: 'kept' });
    expect(() =>
      store.transaction(() => {
        const m = store.addMedia({ name: 'imported' });
        const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'import' });
        store.setMosiLabel({ segmentId: s.id, annotator: 'a', values: { score: 1, text: null, audio: null, visual: null } });
        store.updateMediaFile(kept.id, { path: '/changed.mp4', identity: null, kind: 'video', probe: null });
        store.createSegment({ mediaId: m.id, start: 5, end: 4, source: 'import' }); // a bad row
      }),
    ).toThrow(SentiscopeError);
    expect(store.listMedia()).toEqual([kept]);
    expect(countRows(store.path, 'segment')).toBe(0);
    expect(countRows(store.path, 'label')).toBe(0);
  });

  it('nests: a caught failure undoes only its own edit, and the outer result is returned', () => {
    const m = store.addMedia({ name: 'a' });
    const made = store.transaction(() => {
      const s = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'import' });
      expect(() =>
        store.transaction(() => {
          store.createSegment({ mediaId: m.id, start: 2, end: 3, source: 'import' });
          throw new Error('inner failure');
        }),
      ).toThrow('inner failure');
      return s;
    });
    expect(store.listSegments(m.id)).toEqual([made]);
  });
});

describe('cascades', () => {
  it('deleting a segment deletes its labels and predictions, and nothing else', () => {
    const m = store.addMedia({ name: 'a' });
    const gone = store.createSegment({ mediaId: m.id, start: 0, end: 1, source: 'vad' });
    const stays = store.createSegment({ mediaId: m.id, start: 1, end: 2, source: 'vad' });
    const prediction = {
      modelId: 'm',
      modelVersion: '1',
      score: 0,
      probabilities: { negative: 0.3, neutral: 0.4, positive: 0.3 },
      contributions: { text: null, audio: null, visual: null },
    };
    for (const s of [gone, stays]) {
      store.setMosiLabel({ segmentId: s.id, annotator: 'a', values: { score: 0, text: null, audio: null, visual: null } });
      store.setMvsaLabel({ segmentId: s.id, annotator: 'a', values: { text: 'neutral', image: null, pair: null } });
      store.addPrediction({ segmentId: s.id, ...prediction });
    }
    store.deleteSegment(gone.id);
    expect(countRows(store.path, 'label')).toBe(2);
    expect(countRows(store.path, 'prediction')).toBe(1);
    expect(store.listLabels(m.id).every((l) => l.segmentId === stays.id)).toBe(true);
    expect(store.listPredictions(m.id).map((p) => p.segmentId)).toEqual([stays.id]);

    store.deleteMedia(m.id);
    for (const table of ['media', 'segment', 'label', 'prediction']) expect(countRows(store.path, table)).toBe(0);
  });
});

describe('non-ASCII paths', () => {
  it('creates, writes and reopens a project under a non-ASCII folder', () => {
    const file = path.join(tmp, 'проекты', 'データ ü', 'étude 情感.sentiscope');
    const first = ProjectStore.open(file);
    const media = first.addMedia({ name: 'vidéo_1', path: path.join(tmp, 'проекты', 'vidéo 1.mp4'), kind: 'video' });
    const s = first.createSegment({ mediaId: media.id, start: 0, end: 1, source: 'manual', text: '很好 — très bien' });
    first.close();
    expect(fs.readdirSync(path.dirname(file))).toContain('étude 情感.sentiscope');

    const again = ProjectStore.open(file);
    expect(again.project().name).toBe('étude 情感');
    expect(again.findMediaByPath(media.path as string)).toEqual(media);
    expect(again.listSegments(media.id)).toEqual([s]);
    again.close();
  });
});
