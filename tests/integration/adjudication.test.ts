// Adjudication on a real project file: the migration that adds the role, the review queue
// (largest disagreement first), the final label stored apart from the annotators', and
// `export --aggregate adjudicated` through the service and the real bin.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjudicate, clearAdjudication, reviewQueue } from '../../src/core/services/adjudication';
import { exportFromProject } from '../../src/core/services/project-export';
import { ProjectStore } from '../../src/core/store';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/core/store/migrations';
import { SentiscopeError } from '../../src/shared/errors';
import { generatePngImage, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-adjudication-');
});
afterAll(() => removeTempDir(dir));

const mosi = (score: number) => ({ score, text: null, audio: null, visual: null });

/** Clip spreads: 1 → 0.5, 2 → 4, 3 → 0 (all agree), 4 → one annotator only (not queued). */
function team(path: string): ProjectStore {
  const store = ProjectStore.open(path);
  const media = store.addMedia({ name: 'vid' });
  const scores: Record<string, (number | null)[]> = { ana: [1, 2, 0, -1], bo: [1.5, -2, 0, null] };
  const segments = [0, 1, 2, 3].map((i) =>
    store.createSegment({ mediaId: media.id, start: i * 2, end: i * 2 + 2, source: 'manual', text: `c${i + 1}` }),
  );
  for (const [annotator, list] of Object.entries(scores)) {
    list.forEach((score, i) => {
      if (score !== null) store.setMosiLabel({ segmentId: segments[i].id, annotator, values: mosi(score) });
    });
  }
  return store;
}

describe('adjudication', () => {
  it('a project of the previous format gains the adjudication table and keeps its labels', () => {
    const file = join(dir, 'old.sentiscope');
    const db = new Database(file);
    migrate(db, file, MIGRATIONS.slice(0, 3)); // format 3: before adjudication
    db.close();
    const store = ProjectStore.open(file);
    try {
      const media = store.addMedia({ name: 'v' });
      const s = store.createSegment({ mediaId: media.id, start: 0, end: 1, source: 'manual' });
      expect(adjudicate(store, { segmentId: s.id, scheme: 'mosi', adjudicator: 'lead', values: mosi(1) })).toMatchObject({
        adjudicator: 'lead',
      });
    } finally {
      store.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    check.close();
  });

  it('queues the segments by disagreement and stores the final label apart from the annotators', () => {
    const store = team(join(dir, 'queue.sentiscope'));
    try {
      const queue = reviewQueue(store, { scheme: 'mosi' });
      expect(queue.map((q) => [q.clipId, q.spread])).toEqual([
        ['2', 4],
        ['1', 0.5],
        ['3', 0],
      ]);
      expect(queue[0].labels.map((l) => [l.annotator, l.values])).toEqual([
        ['ana', mosi(2)],
        ['bo', mosi(-2)],
      ]);
      expect(queue[0].adjudication).toBeNull();

      const before = store.listLabelsForSegment(queue[0].segmentId);
      adjudicate(store, { segmentId: queue[0].segmentId, scheme: 'mosi', adjudicator: 'lead', values: mosi(-1), notes: 'sarcasm' });
      const changed = adjudicate(store, { segmentId: queue[0].segmentId, scheme: 'mosi', adjudicator: 'lead', values: mosi(-0.5) });
      expect(changed).toMatchObject({ adjudicator: 'lead', scheme: 'mosi', values: mosi(-0.5), notes: 'sarcasm' });
      expect(store.listLabelsForSegment(queue[0].segmentId)).toEqual(before);
      expect(reviewQueue(store, { scheme: 'mosi' })[0].adjudication).toEqual(changed);

      const bad = (call: () => unknown) => {
        try {
          call();
        } catch (err) {
          return err as SentiscopeError;
        }
        throw new Error('expected a refusal');
      };
      expect(
        bad(() => adjudicate(store, { segmentId: queue[1].segmentId, scheme: 'mosi', adjudicator: 'lead', values: mosi(5) })).code,
      ).toBe('bad-request');
      expect(
        bad(() => adjudicate(store, { segmentId: queue[1].segmentId, scheme: 'mosi', adjudicator: ' ', values: mosi(1) })).message,
      ).toMatch(/adjudicator/);

      clearAdjudication(store, { segmentId: queue[0].segmentId, scheme: 'mosi' });
      expect(store.getAdjudication(queue[0].segmentId, 'mosi')).toBeNull();
    } finally {
      store.close();
    }
  });

  it('exports the adjudicated label where there is one and the mean elsewhere', async () => {
    const project = join(dir, 'export.sentiscope');
    const store = team(project);
    const [top] = reviewQueue(store, { scheme: 'mosi' });
    adjudicate(store, { segmentId: top.segmentId, scheme: 'mosi', adjudicator: 'lead', values: mosi(-1) });
    const out = join(dir, 'adjudicated.csv');
    try {
      await exportFromProject(store, { format: 'mosi', path: out, aggregate: 'adjudicated' });
    } finally {
      store.close();
    }
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0].split(',').slice(-5)).toEqual(['annotators', 'n_annotators', 'label_ana', 'label_bo', 'provenance']);
    expect(rows.slice(1).map((r) => [r.split(',')[1], r.split(',')[3], r.split(',').at(-1)])).toEqual([
      ['1', '1.2500', 'aggregated'],
      ['2', '-1.0000', 'adjudicated'],
      ['3', '0.0000', 'unanimous'],
      ['4', '-1.0000', 'single'],
    ]);

    // Without --aggregate adjudicated the adjudicator is not read: the mean of 2 and -2.
    const mean = join(dir, 'mean.csv');
    const run = await runSentiscope(['export', '--project', project, '--format', 'mosi', '--out', mean]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(mean, 'utf8').split('\n')[2].split(',')[3]).toBe('0.0000');
    const cli = await runSentiscope(['export', '--project', project, '--format', 'mosi', '--out', mean, '--aggregate', 'adjudicated']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync(mean, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('MVSA: a post without majority is queued first and exported once adjudicated', async () => {
    const folder = join(dir, 'mvsa');
    mkdirSync(folder, { recursive: true });
    const store = ProjectStore.open(join(dir, 'mvsa.sentiscope'));
    try {
      const sides = {
        split: [
          ['positive', 'neutral'],
          ['negative', 'neutral'],
        ],
        agreed: [
          ['neutral', 'positive'],
          ['neutral', 'positive'],
        ],
      } as const;
      for (const [name, pair] of Object.entries(sides)) {
        const media = store.addMedia({ name, path: await generatePngImage(folder, { name: `${name}.png` }), kind: 'image' });
        const s = store.createSegment({ mediaId: media.id, start: 0, end: 0, source: 'import', text: name });
        pair.forEach(([text, image], i) =>
          store.setMvsaLabel({ segmentId: s.id, annotator: ['ana', 'bo'][i], values: { text, image, pair: null } }),
        );
      }
      const queue = reviewQueue(store, { scheme: 'mvsa' });
      expect(queue.map((q) => [q.media, q.spread])).toEqual([
        ['split', 0.5],
        ['agreed', 0],
      ]);
      const out = join(folder, 'posts.csv');
      expect(await exportFromProject(store, { format: 'mvsa', path: out, aggregate: 'adjudicated' })).toMatchObject({
        rows: 1,
        noMajority: ['split'],
      });
      // The adjudicator decides the text side only (the annotators split on it); the image
      // side keeps the annotators' majority (both neutral), and the pair rule follows.
      adjudicate(store, {
        segmentId: queue[0].segmentId,
        scheme: 'mvsa',
        adjudicator: 'lead',
        values: { text: 'negative', image: null, pair: null },
      });
      expect(store.getAdjudication(queue[0].segmentId, 'mvsa')?.values).toEqual({ text: 'negative', image: null, pair: null });
      expect(await exportFromProject(store, { format: 'mvsa', path: out, aggregate: 'adjudicated' })).toMatchObject({ rows: 2 });
      expect(readFileSync(out, 'utf8').split('\n')[2]).toBe(
        'split,split,split.png,negative,neutral,negative,ana;bo,2,positive,negative,adjudicated',
      );

      // Deciding the image side against the majority replaces that side only.
      adjudicate(store, {
        segmentId: queue[0].segmentId,
        scheme: 'mvsa',
        adjudicator: 'lead',
        values: { text: 'negative', image: 'negative', pair: null },
      });
      await exportFromProject(store, { format: 'mvsa', path: out, aggregate: 'adjudicated' });
      expect(readFileSync(out, 'utf8').split('\n')[2]).toBe(
        'split,split,split.png,negative,negative,negative,ana;bo,2,positive,negative,adjudicated',
      );

      // A decision of nothing is refused by segment; the stored one stays.
      expect(() =>
        adjudicate(store, {
          segmentId: queue[0].segmentId,
          scheme: 'mvsa',
          adjudicator: 'lead',
          values: { text: null, image: null, pair: null },
        }),
      ).toThrow(new RegExp(`segment ${queue[0].segmentId} decides no field`));
      expect(store.getAdjudication(queue[0].segmentId, 'mvsa')?.values).toMatchObject({ image: 'negative' });
    } finally {
      store.close();
    }
  });

  it('MVSA: a side nobody decided and without majority keeps the post flagged', async () => {
    const folder = join(dir, 'mvsa-open');
    mkdirSync(folder, { recursive: true });
    const store = ProjectStore.open(join(dir, 'mvsa-open.sentiscope'));
    try {
      const media = store.addMedia({ name: 'torn', path: await generatePngImage(folder, { name: 'torn.png' }), kind: 'image' });
      const s = store.createSegment({ mediaId: media.id, start: 0, end: 0, source: 'import', text: 'torn' });
      store.setMvsaLabel({ segmentId: s.id, annotator: 'ana', values: { text: 'positive', image: 'positive', pair: null } });
      store.setMvsaLabel({ segmentId: s.id, annotator: 'bo', values: { text: 'negative', image: 'neutral', pair: null } });
      adjudicate(store, { segmentId: s.id, scheme: 'mvsa', adjudicator: 'lead', values: { text: 'positive', image: null, pair: null } });
      const out = join(folder, 'posts.csv');
      expect(await exportFromProject(store, { format: 'mvsa', path: out, aggregate: 'adjudicated' })).toMatchObject({
        rows: 0,
        noMajority: ['torn'],
      });
      adjudicate(store, {
        segmentId: s.id,
        scheme: 'mvsa',
        adjudicator: 'lead',
        values: { text: 'positive', image: 'neutral', pair: null },
      });
      expect(await exportFromProject(store, { format: 'mvsa', path: out, aggregate: 'adjudicated' })).toMatchObject({ rows: 1 });
      expect(readFileSync(out, 'utf8').split('\n')[1]).toBe(
        'torn,torn,torn.png,positive,neutral,positive,ana;bo,2,positive,negative,adjudicated',
      );
    } finally {
      store.close();
    }
  });
});
