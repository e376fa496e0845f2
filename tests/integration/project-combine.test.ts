// Combining annotators' copies of a project, with real SQLite project files and a real
// media file: media met by content, segments by clip id or overlap, every label kept,
// conflicts listed, twice the same as once, and bad sources refused with nothing changed.

import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers } from '../../src/core/services/contract-handlers';
import { combineProjects } from '../../src/core/services/project-combine';
import type { CombineReport, OpenProject } from '../../src/shared/contract';
import type { Label, Segment } from '../../src/shared/domain';
import { projectAgreement } from '../../src/core/services/agreement';
import { LATEST_VERSION, ProjectStore, addMediaFile } from '../../src/core/store';
import { SentiscopeError } from '../../src/shared/errors';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-combine-');
});
afterAll(() => removeTempDir(dir));

const mosi = (score: number) => ({ score, text: null, audio: null, visual: null });
/** Rating trace samples on the 10 Hz grid from tick `from`, one per value. */
const take = (from: number, values: number[]) => values.map((value, i) => ({ time: (from + i) / 10, value }));

/** A base project (one video, three segments) copied to each annotator, who then labels their copy. */
async function annotatorsCopies(folder: string): Promise<{ a: string; b: string }> {
  const base = join(folder, 'base.sentiscope');
  const store = ProjectStore.open(base);
  const media = await addMediaFile(store, MOSI_CLIP);
  for (const [start, end] of [
    [0, 2],
    [2, 4.5],
    [4.5, 7],
  ]) {
    store.createSegment({ mediaId: media.id, start, end, source: 'vad' });
  }
  store.close();
  const a = join(folder, 'ana.sentiscope');
  const b = join(folder, 'bo.sentiscope');
  copyFileSync(base, a);
  copyFileSync(base, b);

  const ana = ProjectStore.open(a);
  const [s1, s2] = ana.listSegments(ana.listMedia()[0].id);
  ana.setMosiLabel({ segmentId: s1.id, annotator: 'ana', values: mosi(2) });
  ana.setMosiLabel({ segmentId: s2.id, annotator: 'ana', values: mosi(-1), notes: 'sarcastic' });
  ana.close();

  // Bo moved the video (same bytes, other path), nudged a boundary and split off a new segment.
  const moved = join(folder, 'moved-clip.mp4');
  copyFileSync(MOSI_CLIP, moved);
  const bo = ProjectStore.open(b);
  const video = bo.listMedia()[0];
  bo.updateMediaFile(video.id, { ...video, path: moved });
  const [t1, t2, t3] = bo.listSegments(video.id);
  bo.updateSegment(t2.id, { clipId: 'bo-2', start: 2.1, end: 4.5 });
  bo.updateSegment(t3.id, { end: 6 });
  const extra = bo.createSegment({ mediaId: video.id, start: 6, end: 7, source: 'manual' });
  bo.setMosiLabel({ segmentId: t1.id, annotator: 'bo', values: mosi(1.5) });
  bo.setMosiLabel({ segmentId: t2.id, annotator: 'bo', values: mosi(-2) });
  bo.setMosiLabel({ segmentId: extra.id, annotator: 'bo', values: mosi(0.5) });
  bo.close();
  return { a, b };
}

function snapshotOf(store: ProjectStore) {
  return store.listMedia().map((m) => ({
    name: m.name,
    segments: store.listSegments(m.id).map((s) => ({
      clip: s.clipId,
      span: [s.start, s.end],
      labels: store.listLabelsForSegment(s.id).map((l) => [l.annotator, l.values, l.notes]),
    })),
  }));
}

function rejection(call: () => unknown): SentiscopeError {
  try {
    call();
  } catch (err) {
    if (err instanceof SentiscopeError) return err;
    throw err;
  }
  throw new Error('expected a SentiscopeError');
}

describe('project combine', () => {
  it("keeps every annotator's labels on the same media and segments, and twice changes nothing", async () => {
    const folder = join(dir, 'team');
    mkdirSync(folder, { recursive: true });
    const { a, b } = await annotatorsCopies(folder);
    const team = join(folder, 'team.sentiscope');
    const report = combineProjects({ into: team, sources: [a, b] });
    // Media by content (Bo's path differs); bo-2 by overlap (IoU 0.96); clip 3 at 4.5–6 is IoU 0.6, so new; 6–7 new.
    // Ana's media item is added, Bo's meets it by content.
    expect(report).toMatchObject({ mediaMatched: 1, mediaAdded: 1, labelsAdded: 5, labelsSame: 0, conflicts: [], changed: true });
    const store = ProjectStore.open(team);
    try {
      expect(snapshotOf(store)).toEqual([
        {
          name: 'Oz06ZWiO20M_6',
          segments: [
            {
              clip: '1',
              span: [0, 2],
              labels: [
                ['ana', mosi(2), ''],
                ['bo', mosi(1.5), ''],
              ],
            },
            {
              clip: '2',
              span: [2, 4.5],
              labels: [
                ['ana', mosi(-1), 'sarcastic'],
                ['bo', mosi(-2), ''],
              ],
            },
            { clip: '4', span: [4.5, 6], labels: [] },
            { clip: '3', span: [4.5, 7], labels: [] },
            { clip: '5', span: [6, 7], labels: [['bo', mosi(0.5), '']] },
          ],
        },
      ]);
      expect(store.listMedia()[0].path).toBe(MOSI_CLIP);
      expect(projectAgreement(store, { scheme: 'mosi', bootstrap: { resamples: 10 } }).annotators).toEqual(['ana', 'bo']);
    } finally {
      store.close();
    }

    const bytes = readFileSync(team);
    const again = combineProjects({ into: team, sources: [a, b] });
    expect(again).toMatchObject({
      mediaMatched: 2,
      mediaAdded: 0,
      segmentsAdded: 0,
      labelsAdded: 0,
      labelsSame: 5,
      conflicts: [],
      changed: false,
    });
    expect(readFileSync(team).equals(bytes)).toBe(true);
    expect(readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('lists the same annotator with two labels as a conflict and keeps the team label', async () => {
    const folder = join(dir, 'conflict');
    mkdirSync(folder, { recursive: true });
    const { a } = await annotatorsCopies(folder);
    const team = join(folder, 'team.sentiscope');
    combineProjects({ into: team, sources: [a] });
    const second = join(folder, 'ana-again.sentiscope');
    copyFileSync(a, second);
    const ana = ProjectStore.open(second);
    const [s1] = ana.listSegments(ana.listMedia()[0].id);
    ana.setMosiLabel({ segmentId: s1.id, annotator: 'ana', values: mosi(-3) });
    ana.close();

    const report = combineProjects({ into: team, sources: [second] });
    expect(report.conflicts).toEqual([
      { media: 'Oz06ZWiO20M_6', clipId: '1', annotator: 'ana', scheme: 'mosi', kept: mosi(2), other: mosi(-3), file: second },
    ]);
    expect(report).toMatchObject({ labelsAdded: 0, changed: false });
    const store = ProjectStore.open(team);
    try {
      const [t1] = store.listSegments(store.listMedia()[0].id);
      expect(store.listLabelsForSegment(t1.id).map((l) => l.values)).toEqual([mosi(2)]);
    } finally {
      store.close();
    }
  });

  it("carries every annotator's rating traces: a new one or new samples taken, a differing one listed, twice changes nothing", async () => {
    const folder = join(dir, 'traces');
    mkdirSync(folder, { recursive: true });
    const { a, b } = await annotatorsCopies(folder);
    const record = (file: string, annotator: string, from: number, values: number[]) => {
      const store = ProjectStore.open(file);
      try {
        const samples = take(from, values);
        store.replaceTrace({ mediaId: store.listMedia()[0].id, annotator, start: samples[0].time, end: samples.at(-1)!.time, samples });
      } finally {
        store.close();
      }
    };
    record(a, 'ana', 0, [0, 0.5, 1, 1]);
    record(b, 'bo', 20, [-2, -2.5]);
    const team = join(folder, 'team.sentiscope');
    const report = combineProjects({ into: team, sources: [a, b] });
    expect(report).toMatchObject({ tracesAdded: 2, traceSamplesAdded: 6, tracesSame: 0, traceConflicts: [], changed: true });
    const traces = () => {
      const store = ProjectStore.open(team);
      try {
        return store.listTraces(store.listMedia()[0].id).map((t) => [t.annotator, t.samples]);
      } finally {
        store.close();
      }
    };
    expect(traces()).toEqual([
      ['ana', take(0, [0, 0.5, 1, 1])],
      ['bo', take(20, [-2, -2.5])],
    ]);
    const bytes = readFileSync(team);
    expect(combineProjects({ into: team, sources: [a, b] })).toMatchObject({
      tracesAdded: 0,
      traceSamplesAdded: 0,
      tracesSame: 2,
      traceConflicts: [],
      changed: false,
    });
    expect(readFileSync(team).equals(bytes)).toBe(true);

    // Ana went on rating in her copy: the samples the team lacks are taken, the rest agree.
    record(a, 'ana', 4, [2, 2, 2]);
    expect(combineProjects({ into: team, sources: [a] })).toMatchObject({ tracesAdded: 1, traceSamplesAdded: 3, changed: true });
    expect(traces()[0]).toEqual(['ana', take(0, [0, 0.5, 1, 1, 2, 2, 2])]);

    // A copy that re-rated a stretch differently, and rated further: a conflict, and nothing of it is taken.
    const again = join(folder, 'ana-again.sentiscope');
    copyFileSync(a, again);
    record(again, 'ana', 1, [-1, 1]);
    record(again, 'ana', 30, [3]);
    const conflict = combineProjects({ into: team, sources: [again] });
    expect(conflict.traceConflicts).toEqual([
      { media: 'Oz06ZWiO20M_6', annotator: 'ana', differing: 1, at: 0.1, kept: 0.5, other: -1, file: again },
    ]);
    expect(conflict).toMatchObject({ tracesAdded: 0, traceSamplesAdded: 0, changed: false });
    expect(traces()[0]).toEqual(['ana', take(0, [0, 0.5, 1, 1, 2, 2, 2])]);
    expect(readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);

    const cli = await runSentiscope(['project', 'combine', '--into', team, again]);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toBe(
      `1 trace conflict (the same annotator's rating trace with other values): ${team} kept its trace for each; see "traceConflicts"\n`,
    );
  });

  it('refuses a corrupt file, another schema version and a non-project by name, changing nothing', async () => {
    const folder = join(dir, 'refuse');
    mkdirSync(folder, { recursive: true });
    const { a, b } = await annotatorsCopies(folder);
    const team = join(folder, 'team.sentiscope');
    combineProjects({ into: team, sources: [a] });
    const before = readFileSync(team);

    const garbage = join(folder, 'garbage.sentiscope');
    writeFileSync(garbage, 'this is not a project\n'.repeat(200));
    const truncated = join(folder, 'truncated.sentiscope');
    writeFileSync(truncated, readFileSync(b).subarray(0, 4096 + 100));
    const older = join(folder, 'older.sentiscope');
    copyFileSync(b, older);
    const db = new Database(older);
    db.pragma('user_version = 1');
    db.close();
    const newer = join(folder, 'newer.sentiscope');
    copyFileSync(b, newer);
    const db2 = new Database(newer);
    db2.pragma('user_version = 99');
    db2.close();

    const cases: [string, RegExp][] = [
      [garbage, /is not a Sentiscope project/],
      [truncated, /damaged|could not be read|not a Sentiscope project/],
      [older, new RegExp(`is project format 1, this Sentiscope combines format ${LATEST_VERSION} only`)],
      [newer, /made by a newer Sentiscope/],
      [join(folder, 'missing.sentiscope'), /does not exist/],
    ];
    for (const [bad, message] of cases) {
      const err = rejection(() => combineProjects({ into: team, sources: [b, bad] }));
      expect(err.message).toMatch(message);
      expect(err.file).toBe(bad);
      expect(readFileSync(team).equals(before)).toBe(true);
    }
    // The older file was read, never updated.
    const check = new Database(older, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    check.close();
    expect(readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it("'project:combine' combines into the open project, which stays open, and refuses a bad source by name", async () => {
    const folder = join(dir, 'channel');
    mkdirSync(folder, { recursive: true });
    const { a, b } = await annotatorsCopies(folder);
    const team = join(folder, 'team.sentiscope');
    copyFileSync(join(folder, 'base.sentiscope'), team);
    const handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(folder, 'data'), projectPath: team });
    try {
      // The open project holds a write: its log is not empty until the session lets go of it.
      const [segment] = (await handlers['segments:list']({ mediaId: 1 })) as Segment[];
      await handlers['labels:setMosi']({ segmentId: segment.id, annotator: 'cy', values: mosi(0) });
      const report = (await handlers['project:combine']({ sources: [a, b] })) as CombineReport;
      expect(report).toMatchObject({ into: team, mediaMatched: 2, mediaAdded: 0, labelsAdded: 5, conflicts: [], changed: true });
      const labels = (await handlers['labels:list']({ mediaId: 1 })) as Label[];
      expect([...new Set(labels.map((l) => l.annotator))].sort()).toEqual(['ana', 'bo', 'cy']);

      const garbage = join(folder, 'garbage.sentiscope');
      writeFileSync(garbage, 'x'.repeat(5000));
      const refused = await Promise.resolve()
        .then(() => handlers['project:combine']({ sources: [garbage] }))
        .catch((err: unknown) => err as SentiscopeError);
      expect(refused).toBeInstanceOf(SentiscopeError);
      expect((refused as SentiscopeError).file).toBe(garbage);
      // Still open, with everything it had.
      expect(((await handlers['labels:list']({ mediaId: 1 })) as Label[]).length).toBe(labels.length);
      expect(((await handlers['project:current'](undefined)) as OpenProject).path).toBe(team);
    } finally {
      handlers.close();
    }
  });

  it('the CLI combines and names a refused file', async () => {
    const folder = join(dir, 'cli');
    mkdirSync(folder, { recursive: true });
    const { a, b } = await annotatorsCopies(folder);
    const team = join(folder, 'team.sentiscope');
    const run = await runSentiscope(['project', 'combine', '--into', team, a, b]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ labelsAdded: 5, conflicts: [] });

    const garbage = join(folder, 'garbage.sentiscope');
    writeFileSync(garbage, 'x'.repeat(5000));
    const refused = await runSentiscope(['project', 'combine', '--into', team, garbage]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(garbage);
    const usage = await runSentiscope(['project', 'combine', a]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--into is required');
  });
});
