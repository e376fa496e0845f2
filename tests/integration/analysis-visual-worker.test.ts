// The job's visual passes in their own worker thread (src/core/jobs/visual-worker-host.ts)
// against the same passes on the job's thread, on the real MOSI clip with two stretches
// (the worker is reused): identical predictions. A worker whose face models cannot load
// makes visual absent with the reason instead of failing the job, and a cancelled job
// leaves no ffmpeg behind.

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysisJob } from '../../src/core/analysis/pipeline';
import { sourceVisualWorker, visualWorkerPass } from '../../src/core/jobs';
import { ProjectStore } from '../../src/core/store';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';

const PACK = fileURLToPath(new URL('../fixtures/packs/tiny-late-fusion', import.meta.url));
const run = promisify(execFile);

let dir: string;
let srt: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-visual-worker-');
  // Two stretches: the gap between 1.5 s and 6.6 s is over the job's 5 s limit.
  srt = join(dir, 'cues.srt');
  await writeFile(
    srt,
    [
      '1\n00:00:00,200 --> 00:00:00,900\ni loved it\n',
      '2\n00:00:00,900 --> 00:00:01,500\nthe acting was bad\n',
      '3\n00:00:06,600 --> 00:00:07,000\nbut it was fine\n',
      '4\n00:00:07,000 --> 00:00:07,400\nreally good\n',
    ].join('\n'),
  );
});
afterAll(async () => {
  await removeTempDir(dir);
});

async function predictions(name: string, visualPass?: Parameters<typeof runAnalysisJob>[1]['visualPass']) {
  const store = ProjectStore.open(join(dir, `${name}.sentiscope`));
  try {
    const summary = await runAnalysisJob(
      { projectPath: store.path, file: MOSI_CLIP, transcript: srt, model: PACK },
      { jobId: name, store, visualPass },
    );
    const mediaId = store.listMedia()[0].id;
    const segments = new Map(store.listSegments(mediaId).map((s) => [s.id, s.start]));
    const rows = store.listPredictions(mediaId).sort((a, b) => segments.get(a.segmentId)! - segments.get(b.segmentId)!);
    return { summary, rows };
  } finally {
    store.close();
  }
}

/** ffmpeg/ffprobe processes this test process started and that are still running. */
async function childTools(): Promise<string> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .filter((line) => /ff(mpeg|probe)/.test(line))
    .join('\n');
}

describe('visual worker', () => {
  it('gives the same predictions as the visual pass on the job thread', async () => {
    const here = await predictions('in-thread');
    const worker = await predictions('worker', visualWorkerPass(sourceVisualWorker));
    expect(here.rows).toHaveLength(4);
    expect(worker.rows).toHaveLength(4);
    expect(worker.summary.absent).toEqual(here.summary.absent);
    expect(here.summary.absent.visual).toBe(0);
    for (let i = 0; i < here.rows.length; i++) {
      const a = here.rows[i];
      const b = worker.rows[i];
      expect(Math.abs(a.score - b.score)).toBeLessThan(1e-6);
      for (const k of ['negative', 'neutral', 'positive'] as const)
        expect(Math.abs(a.probabilities[k] - b.probabilities[k])).toBeLessThan(1e-6);
      expect(Object.keys(b.contributions).sort()).toEqual(Object.keys(a.contributions).sort());
      for (const [m, v] of Object.entries(a.contributions))
        expect(Math.abs(v - (b.contributions as unknown as Record<string, number>)[m])).toBeLessThan(1e-6);
    }
    expect(worker.summary.seconds.visual).toBeGreaterThan(0);
  }, 120_000);

  it('marks visual absent with the reason when the worker cannot load its face models', async () => {
    const broken = visualWorkerPass((data) => sourceVisualWorker({ ...data, modelDir: join(dir, 'no-face-models') }));
    const notes: string[] = [];
    const store = ProjectStore.open(join(dir, 'broken.sentiscope'));
    try {
      const summary = await runAnalysisJob(
        { projectPath: store.path, file: MOSI_CLIP, transcript: srt, model: PACK },
        { jobId: 'broken', store, visualPass: broken, onNote: (n) => notes.push(n) },
      );
      expect(summary.predicted).toBe(4);
      expect(summary.absent.visual).toBe(4);
      expect(summary.absent.audio).toBe(0);
      expect(notes.some((n) => n.includes('visual absent (visual pass failed:') && n.includes('no-face-models'))).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);

  it('stops the worker and its ffmpeg when the job is cancelled', async () => {
    const controller = new AbortController();
    const job = runAnalysisJob(
      { projectPath: join(dir, 'cancel.sentiscope'), file: MOSI_CLIP, transcript: srt, model: PACK },
      {
        jobId: 'cancel',
        signal: controller.signal,
        visualPass: visualWorkerPass(sourceVisualWorker),
        onProgress: (e) => {
          if (e.stage === 'analyze' && e.done >= 1) controller.abort(new Error('cancelled by the test'));
        },
      },
    );
    await expect(job).rejects.toThrow('cancelled by the test');
    expect(await childTools()).toBe('');
  }, 120_000);
});
