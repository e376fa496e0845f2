// "Refit on my labels" on a tiny real project (RAVDESS clips, real ffmpeg, the shipped
// pack's ONNX sessions, real SQLite): the project's consensus labels (adjudicated, else the
// annotators' mean), a refit in a worker thread through the contract with its progress
// (features row k of n, cross-validation fold k of n) and cancel, the learning curve in the
// pack's refit.json, the pack listed on the Models page; and `refit --project` on the CLI.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefitJobStatus } from '../../src/shared/refit-job';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { projectLabelSet } from '../../src/core/models/refit-project';
import { ProjectStore, addMediaFile } from '../../src/core/store';
import type { Polarity } from '../../src/shared/domain';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { HAS_RAVDESS, addLabelledClips, ravdessClips } from '../helpers/ravdess-project';
import { runSentiscope } from '../helpers/sentiscope-cli';

const MVSA = fileURLToPath(new URL('../../../shared/data/mvsa/', import.meta.url));

let dir: string;
let project: string;
let handlers: ServedContract;
const saved = process.env.SENTISCOPE_MODELS;

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-refit-project-');
  delete process.env.SENTISCOPE_MODELS;
  project = join(dir, 'labels.sentiscope');
  if (!HAS_RAVDESS) return;
  const ids = await addLabelledClips(project, ravdessClips([1, 2, 3]));
  // A second annotator on two segments (their mean counts) and an adjudication on one (it wins).
  const store = ProjectStore.open(project);
  try {
    store.setMosiLabel({ segmentId: ids[0], annotator: 'ben', values: { score: 1, text: null, audio: null, visual: null } });
    store.setMosiLabel({ segmentId: ids[1], annotator: 'ben', values: { score: -1, text: null, audio: null, visual: null } });
    store.setMosiAdjudication({ segmentId: ids[1], adjudicator: 'cleo', values: { score: 3, text: null, audio: null, visual: null } });
  } finally {
    store.close();
  }
  handlers = createContractHandlers({ shell: 'browser', version: '0.1.0', dataDir: join(dir, 'data'), projectPath: project });
});
afterAll(async () => {
  handlers?.close();
  if (saved !== undefined) process.env.SENTISCOPE_MODELS = saved;
  await removeTempDir(dir);
});

/** Polls a refit until it ends, keeping every distinct (stage, done, total) seen. */
async function finish(jobId: string, seen: string[] = []): Promise<RefitJobStatus> {
  for (;;) {
    const [s] = await handlers['refit:status']({ jobId });
    const step = `${s.stage} ${s.done}/${s.total}`;
    if (seen[seen.length - 1] !== step) seen.push(step);
    if (s.state !== 'running') return s;
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

describe.skipIf(!HAS_RAVDESS)('refit from a project', () => {
  it("reads the project's consensus labels: adjudicated, else the mean; one group per media item", () => {
    const store = ProjectStore.open(project);
    try {
      const set = projectLabelSet(store, project);
      const clips = ravdessClips([1, 2, 3]);
      expect(set.rows).toHaveLength(clips.length);
      expect(set.scores).toBe(true);
      expect(set.annotators).toEqual(['ana', 'ben', 'cleo']);
      const of = (file: string) => set.rows.find((r) => r.source.audio?.path === file)!;
      expect(of(clips[0].file).target).toBe((clips[0].score + 1) / 2);
      expect(of(clips[1].file)).toMatchObject({ target: 3, label: 2 });
      expect(of(clips[2].file).target).toBe(clips[2].score);
      expect(new Set(set.rows.map((r) => r.group)).size).toBe(clips.length);
      expect(of(clips[0].file).source.audio).toMatchObject({ start: 0 });
      expect(of(clips[0].file).source.text).toBe(clips[0].statement);
    } finally {
      store.close();
    }
  });

  it('reads an MVSA project as class labels: the majority pair, the adjudicated one, and no label for a conflict', async () => {
    const file = join(dir, 'posts.sentiscope');
    const store = ProjectStore.open(file);
    try {
      const post = async (image: string, text: string) => {
        const media = await addMediaFile(store, join(MVSA, 'images', image));
        return store.createSegment({ mediaId: media.id, start: 0, end: 0, text, source: 'manual' }).id;
      };
      const mvsa = (segmentId: number, annotator: string, text: Polarity, image: Polarity) =>
        store.setMvsaLabel({ segmentId, annotator, values: { text, image, pair: null } });
      const agreed = await post('26.jpg', 'blue sky and snow');
      const clash = await post('4597.jpg', 'set to attack');
      mvsa(agreed, 'ana', 'positive', 'neutral');
      mvsa(agreed, 'ben', 'positive', 'neutral');
      mvsa(clash, 'ana', 'positive', 'negative');
      const set = projectLabelSet(store, file);
      // Text positive and image negative: no pair label, left out as export leaves it out.
      expect(set.rows).toHaveLength(1);
      expect(set.scores).toBe(false);
      expect(set.rows[0]).toMatchObject({
        label: 2,
        target: null,
        source: { text: 'blue sky and snow', visual: { path: join(MVSA, 'images', '26.jpg') } },
      });
      store.setMvsaAdjudication({ segmentId: clash, adjudicator: 'cleo', values: { text: 'negative', image: 'negative', pair: null } });
      expect(projectLabelSet(store, file).rows.map((r) => r.label)).toEqual([2, 0]);
    } finally {
      store.close();
    }
  });

  it('refits in a worker with progress, installs a pack the Models page lists, with its learning curve', async () => {
    const seen: string[] = [];
    const started = await handlers['refit:start']({ id: 'my-project-refit', folds: 3, force: true });
    expect(started.state).toBe('running');
    await expect(handlers['refit:start']({ id: 'another', force: true })).rejects.toThrow(/A refit \(my-project-refit\) is running/);
    const done = await finish(started.jobId, seen);
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');
    const rows = ravdessClips([1, 2, 3]).length;
    expect(done.result).toMatchObject({ id: 'my-project-refit', installed: true, rows });
    // Polled, so not every step is seen; those seen come in order, rows and folds counting up.
    const features = seen.filter((s) => s.startsWith('features ')).map((s) => Number(s.split(' ')[1].split('/')[0]));
    expect(features.length).toBeGreaterThan(1);
    expect(features).toEqual([...features].sort((a, b) => a - b));
    expect(seen.filter((s) => s.startsWith('features ')).every((s) => s.endsWith(`/${rows}`))).toBe(true);
    const folds = seen.filter((s) => s.startsWith('cross-validation '));
    expect(folds.length).toBeGreaterThan(0);
    expect(folds.every((s) => /^cross-validation [123]\/3$/.test(s))).toBe(true);
    const last = (prefix: string) => seen.map((s) => s.startsWith(prefix)).lastIndexOf(true);
    expect(seen.findIndex((s) => s.startsWith('cross-validation '))).toBeGreaterThan(last('features '));

    const listed = (await handlers['models:list'](undefined)).models.find((m) => m.id === 'my-project-refit');
    expect(listed).toMatchObject({ kind: 'fusion-pack', root: 'added', problem: null });
    const curve = await handlers['refit:curve']({ id: 'my-project-refit' });
    expect(curve).toEqual(done.result!.learningCurve);
    expect(curve!.metric).toBe('mae');
    expect(curve!.points.map((p) => p.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
    const labels = curve!.points.map((p) => p.labels);
    expect(labels).toEqual([...labels].sort((a, b) => a - b));
    expect(labels[3]).toBe(Math.round((rows * 2) / 3));
    expect(await handlers['refit:curve']({ id: 'late-fusion-v1' })).toBeNull();

    const card = readFileSync(join(dir, 'data', 'models', 'my-project-refit', 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('Annotators: ana, ben, cleo');
    expect(card).toContain(`Media: ${rows} file(s)`);
    expect(card).toContain('consensus: the adjudicated score, else the mean of the annotators');
    expect(card).toContain('## Learning curve (mae on the held-out folds');
  }, 180_000);

  it('cancels a running refit: nothing is installed', async () => {
    const started = await handlers['refit:start']({ id: 'cancelled-refit', folds: 3, force: true });
    // The rows' features are cached by the first refit, so this one may be past them already.
    for (;;) {
      const [s] = await handlers['refit:status']({ jobId: started.jobId });
      if (s.stage !== 'starting') break;
      expect(s.state).toBe('running');
      await new Promise((ok) => setTimeout(ok, 10));
    }
    await handlers['refit:cancel']({ jobId: started.jobId });
    const ended = await finish(started.jobId);
    expect(ended.state).toBe('cancelled');
    expect(ended.result).toBeNull();
    expect(existsSync(join(dir, 'data', 'models', 'cancelled-refit'))).toBe(false);
    expect((await handlers['models:list'](undefined)).models.map((m) => m.id)).not.toContain('cancelled-refit');
  }, 120_000);

  it('sentiscope refit --project: the same refit from the CLI; a missing project is refused naming it', async () => {
    const env = { ...process.env, SENTISCOPE_DATA_DIR: join(dir, 'cli-data') };
    const run = await runSentiscope(['refit', '--project', project, '--id', 'cli-refit', '--folds', '3', '--force', '--threads', '1'], env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ installed: true, labels: 'score', rows: ravdessClips([1, 2, 3]).length });
    expect(report.learningCurve.points).toHaveLength(4);
    expect(Object.keys(report.timings)).toEqual(['features', 'cross-validation', 'fit', 'learning-curve', 'total']);
    expect(report.cachedRows).toBe(0);

    // Again: every row's features come from the cache the first run kept, and the head is the same.
    const again = await runSentiscope(
      ['refit', '--project', project, '--id', 'cli-refit-2', '--folds', '3', '--force', '--threads', '1'],
      env,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).cachedRows).toBe(report.rows);
    const head = (id: string) => readFileSync(join(dir, 'cli-data', 'models', id, 'refit.json'), 'utf8');
    expect(head('cli-refit-2')).toBe(head('cli-refit'));

    const missing = join(dir, 'nope.sentiscope');
    const refused = await runSentiscope(['refit', '--project', missing, '--id', 'x'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
    const both = await runSentiscope(['refit', '--project', project, '--in', 'x.csv', '--id', 'x'], env);
    expect(both.code).toBe(2);
  }, 180_000);
});
