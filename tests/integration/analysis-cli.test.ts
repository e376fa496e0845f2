// `sentiscope analyze` through the real bin (tsx, a worker thread per run), and the
// analysis queue's worker: FIFO, cancel while running, resume.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisQueue } from '../../src/core/jobs';
import { ProjectStore } from '../../src/core/store';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, generateVideoWithSilentAudio, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

const PACK = fileURLToPath(new URL('../fixtures/packs/tiny-late-fusion', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-analyze-cli-');
});
afterAll(async () => {
  await removeTempDir(dir);
});

const sentiscope = (args: string[]) => runSentiscope(args);

describe('sentiscope analyze', () => {
  it('analyzes two files in a worker thread, stores them in the project and writes the CSV', async () => {
    const srt = join(dir, 'clip.srt');
    await writeFile(
      srt,
      '1\n00:00:00,200 --> 00:00:03,600\ni loved it so much\n\n2\n00:00:03,600 --> 00:00:07,400\nthe ending was awful\n',
    );
    const silent = await generateVideoWithSilentAudio(dir, { name: 'quiet.mp4', duration: 2 });
    const project = join(dir, 'study.sentiscope');
    const out = join(dir, 'out.csv');
    const first = await sentiscope([
      'analyze',
      MOSI_CLIP,
      silent,
      '--transcript',
      srt,
      '--transcript',
      join(dir, 'none.srt'),
      '--project',
      project,
      '--out',
      out,
      '--model',
      PACK,
    ]);
    // The second transcript does not exist: that file fails, the first is still written.
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/none\.srt/);

    const ok = await sentiscope(['analyze', MOSI_CLIP, '--transcript', srt, '--project', project, '--out', out, '--model', PACK]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/model tiny-late-fusion@0\.0\.1 on cpu/);
    expect(ok.stderr).toMatch(/already have predictions/);
    expect(ok.stderr).toMatch(/in worker thread [1-9]/);
    const table = parseCsv(await readFile(out, 'utf8'));
    expect(table.header).toEqual([
      'media',
      'clip_id',
      'start_s',
      'end_s',
      'text',
      'pred_score',
      'pred_label',
      'p_negative',
      'p_neutral',
      'p_positive',
      'contrib_text',
      'contrib_audio',
      'contrib_visual',
      'language',
      'ood_text',
      'ood_audio',
      'ood_visual',
    ]);
    expect(table.rows.map((r) => r.cells.slice(0, 5))).toEqual([
      ['Oz06ZWiO20M_6', '1', '0.200', '3.600', 'i loved it so much'],
      ['Oz06ZWiO20M_6', '2', '3.600', '7.400', 'the ending was awful'],
    ]);
    for (const { cells } of table.rows) {
      const p = cells.slice(7, 10).map(Number);
      expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 3);
      expect(['negative', 'neutral', 'positive'][p.indexOf(Math.max(...p))]).toBe(cells[6]);
      for (const c of cells.slice(10, 13)) expect(c).toMatch(/^-?\d+\.\d{4}$/);
      // The fixture pack names no languages and has no out-of-range output: language only.
      expect(cells.slice(13)).toEqual(['en', '', '', '']);
    }

    const store = ProjectStore.open(project);
    try {
      const media = store.findMediaByName('Oz06ZWiO20M_6')!;
      expect(store.listSegments(media.id)).toHaveLength(2);
      for (const s of store.listSegments(media.id)) expect(store.listPredictionsForSegment(s.id)).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('prints JSON on stdout without --project, says the text is absent without a transcript', async () => {
    const result = await sentiscope(['analyze', MOSI_CLIP, '--model', PACK]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/no transcript, so the text modality is absent/);
    expect(result.stderr).toMatch(/analyze \d+%/);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.contrib_text).toBeNull();
      expect(typeof row.contrib_audio).toBe('number');
      expect(typeof row.contrib_visual).toBe('number');
    }
  });

  it('refuses a bad --out extension with a usage error', async () => {
    const result = await sentiscope(['analyze', MOSI_CLIP, '--out', join(dir, 'x.txt')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out must end in \.csv or \.json/);
  });
});

describe('analysis queue (worker thread)', () => {
  it('cancels a running job, keeps the store consistent, and a resumed job completes it', async () => {
    const project = join(dir, 'queue.sentiscope');
    const queue = new AnalysisQueue({ idleMs: 0 });
    try {
      const stages: string[] = [];
      const job = queue.enqueue({ projectPath: project, file: MOSI_CLIP, model: PACK, segmentation: 'vad' });
      const second = queue.enqueue({ projectPath: project, file: MOSI_CLIP, model: PACK, segmentation: 'vad' });
      expect(queue.status(second.jobId)[0].state).toBe('queued');
      queue.onChange((s) => {
        if (s.jobId !== job.jobId) return;
        stages.push(s.progress.stage);
        if (s.progress.stage === 'segment') queue.cancel(job.jobId);
      });
      const cancelled = await queue.wait(job.jobId);
      expect(cancelled.state).toBe('cancelled');
      expect(cancelled.progress.stage).toBe('cancelled');
      // FIFO: the second job starts after the first ends and does the whole work.
      const done = await queue.wait(second.jobId);
      expect(done.state, JSON.stringify(done.error)).toBe('done');
      expect(done.summary!.threadId).toBeGreaterThan(0);
      expect(done.provider).toMatch(/^cpu/);
      const store = ProjectStore.open(project);
      try {
        const media = store.listMedia();
        expect(media).toHaveLength(1);
        const segments = store.listSegments(media[0].id);
        expect(segments.length).toBe(done.summary!.segments);
        for (const s of segments) expect(store.listPredictionsForSegment(s.id)).toHaveLength(1);
      } finally {
        store.close();
      }
      expect(queue.status().map((s) => s.state)).toEqual(['cancelled', 'done']);
    } finally {
      await queue.close();
    }
  });
});
