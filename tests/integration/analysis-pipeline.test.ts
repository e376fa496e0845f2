// Whole-file analysis on real media with the fixture pack: the MOSI clip with an SRT
// transcript (all three modalities present), cancel then resume (nothing duplicated,
// everything predicted), a silent video without a face (absent modalities, no error),
// and progress events that only move forward.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysisJob } from '../../src/core/analysis/pipeline';
import { ProjectStore } from '../../src/core/store';
import { ANALYSIS_STAGES, type AnalysisProgress } from '../../src/shared/analysis-job';
import { MOSI_CLIP, generateVideoWithSilentAudio, makeTempDir, removeTempDir } from '../helpers/generate-media';

const PACK = fileURLToPath(new URL('../fixtures/packs/tiny-late-fusion', import.meta.url));
const MODEL = { id: 'tiny-late-fusion', version: '0.0.1' };

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-analysis-');
});
afterAll(async () => {
  await removeTempDir(dir);
});

/** An SRT with `n` cues spread over the clip's 7.5 s. */
async function writeSrt(name: string, cues: [number, number, string][]): Promise<string> {
  const time = (s: number) => {
    const ms = Math.round(s * 1000);
    const pad = (v: number, w = 2) => String(v).padStart(w, '0');
    return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
  };
  const text = cues.map(([a, b, t], i) => `${i + 1}\n${time(a)} --> ${time(b)}\n${t}\n`).join('\n');
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function modelPredictions(store: ProjectStore, mediaId: number) {
  return store.listPredictions(mediaId).filter((p) => p.modelId === MODEL.id && p.modelVersion === MODEL.version);
}

function expectForwardOnly(events: AnalysisProgress[]): void {
  expect(events.length).toBeGreaterThan(2);
  for (let i = 1; i < events.length; i++) {
    expect(ANALYSIS_STAGES.indexOf(events[i].stage)).toBeGreaterThanOrEqual(ANALYSIS_STAGES.indexOf(events[i - 1].stage));
    expect(events[i].percent).toBeGreaterThanOrEqual(events[i - 1].percent);
  }
}

describe('analysis job', () => {
  it('analyzes the MOSI clip with a transcript: every segment scored, probabilities sum to 1, three contributions', async () => {
    const srt = await writeSrt('mosi.srt', [
      [0.2, 2.6, 'i really loved this movie'],
      [2.6, 5.0, 'the acting was terrible though'],
      [5.0, 7.4, 'but overall it was pretty good'],
    ]);
    const store = ProjectStore.open(join(dir, 'mosi.sentiscope'));
    const events: AnalysisProgress[] = [];
    let provider = '';
    const summary = await runAnalysisJob(
      { projectPath: store.path, file: MOSI_CLIP, transcript: srt, model: PACK },
      { jobId: 'j1', store, onProgress: (e) => events.push(e), onStart: (info) => (provider = info.provider) },
    );
    expect(provider).toMatch(/^cpu/);
    expect(summary).toMatchObject({
      segmentation: 'transcript',
      segments: 3,
      segmentsCreated: 3,
      predicted: 3,
      skipped: 0,
      absent: { text: 0, audio: 0, visual: 0 },
    });
    const segments = store.listSegments(summary.mediaId);
    expect(segments.map((s) => s.text)).toEqual([
      'i really loved this movie',
      'the acting was terrible though',
      'but overall it was pretty good',
    ]);
    const predictions = modelPredictions(store, summary.mediaId);
    expect(predictions.map((p) => p.segmentId).sort()).toEqual(segments.map((s) => s.id).sort());
    for (const p of predictions) {
      const { negative, neutral, positive } = p.probabilities;
      expect(negative + neutral + positive).toBeCloseTo(1, 5);
      expect(p.score).toBeGreaterThanOrEqual(-3);
      expect(p.score).toBeLessThanOrEqual(3);
      for (const c of [p.contributions.text, p.contributions.audio, p.contributions.visual]) {
        expect(c).not.toBeNull();
        expect(Number.isFinite(c)).toBe(true);
      }
    }
    // Different words give different text contributions: the text really reached the model.
    expect(new Set(predictions.map((p) => p.contributions.text!.toFixed(6))).size).toBe(3);
    expectForwardOnly(events);
    expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(['probe', 'segment', 'analyze', 'done']));
    expect(events.at(-1)).toMatchObject({
      stage: 'done',
      percent: 100,
      done: 3,
      total: 3,
      mediaId: summary.mediaId,
      media: 'Oz06ZWiO20M_6',
    });
    store.close();
  });

  it('leaves consistent data when cancelled and finishes without duplicates when resumed', async () => {
    const cues: [number, number, string][] = [0, 1, 2, 3, 4, 5].map((i) => [0.2 + i * 1.2, 1.4 + i * 1.2, `sentence number ${i} is good`]);
    const srt = await writeSrt('six.srt', cues);
    const path = join(dir, 'resume.sentiscope');
    const controller = new AbortController();
    const first = runAnalysisJob(
      { projectPath: path, file: MOSI_CLIP, transcript: srt, model: PACK },
      {
        jobId: 'c1',
        signal: controller.signal,
        onProgress: (e) => {
          if (e.stage === 'analyze' && e.done >= 2) controller.abort(new Error('cancelled by the test'));
        },
      },
    );
    await expect(first).rejects.toThrow('cancelled by the test');

    const store = ProjectStore.open(path);
    const mediaId = store.listMedia()[0].id;
    expect(store.listSegments(mediaId)).toHaveLength(6);
    const partial = modelPredictions(store, mediaId).length;
    expect(partial).toBe(2);

    const summary = await runAnalysisJob({ projectPath: path, file: MOSI_CLIP, transcript: srt, model: PACK }, { jobId: 'c2', store });
    expect(summary).toMatchObject({ segments: 6, segmentsCreated: 0, predicted: 4, skipped: 2 });
    const segments = store.listSegments(mediaId);
    expect(segments).toHaveLength(6);
    expect(store.listMedia()).toHaveLength(1);
    for (const s of segments) expect(store.listPredictionsForSegment(s.id)).toHaveLength(1);

    // A third run has nothing left to do.
    const again = await runAnalysisJob({ projectPath: path, mediaId, model: PACK }, { jobId: 'c3', store });
    expect(again).toMatchObject({ segmentation: 'existing', predicted: 0, skipped: 6 });
    store.close();
  });

  it('predicts a silent video without a face with its modalities absent, not an error', async () => {
    const video = await generateVideoWithSilentAudio(dir, { name: 'silent.mp4', duration: 3 });
    const notes: string[] = [];
    const store = ProjectStore.open(join(dir, 'silent.sentiscope'));
    const summary = await runAnalysisJob(
      { projectPath: store.path, file: video, model: PACK },
      { jobId: 's1', store, onNote: (n) => notes.push(n) },
    );
    expect(summary).toMatchObject({ segmentation: 'vad', segments: 1, predicted: 1, absent: { text: 1, audio: 1, visual: 1 } });
    expect(notes.join('\n')).toMatch(/VAD found no speech/);
    expect(notes.join('\n')).toMatch(/audio absent \(silent\)/);
    expect(notes.join('\n')).toMatch(/visual absent \(no face\)/);
    const [p] = modelPredictions(store, summary.mediaId);
    expect(p.contributions).toEqual({ text: null, audio: null, visual: null });
    expect(p.probabilities.negative + p.probabilities.neutral + p.probabilities.positive).toBeCloseTo(1, 5);
    // A re-run reuses the VAD segment instead of making another.
    const again = await runAnalysisJob({ projectPath: store.path, file: video, model: PACK, segmentation: 'vad' }, { jobId: 's2', store });
    expect(again).toMatchObject({ segments: 1, segmentsCreated: 0, skipped: 1, predicted: 0 });
    expect(store.listSegments(summary.mediaId)).toHaveLength(1);
    store.close();
  });
});
