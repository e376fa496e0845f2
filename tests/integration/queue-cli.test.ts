// `sentiscope queue` on a small real project (SQLite store, a real MOSI clip): labelled
// segments and segments without a prediction stay out, the most uncertain prediction
// comes first, bands follow the top probability, near-duplicate times wait their turn,
// and nothing is written.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore, addMediaFile } from '../../src/core/store';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-queue-');
});
afterAll(() => removeTempDir(dir));

const probabilities = (negative: number, neutral: number) => ({ negative, neutral, positive: 1 - negative - neutral });

describe('sentiscope queue', () => {
  it('ranks unlabelled segments by the uncertainty of their latest prediction, with near-duplicates held back', async () => {
    const file = join(dir, 'queue.sentiscope');
    const store = ProjectStore.open(file);
    const media = await addMediaFile(store, MOSI_CLIP);
    const at = (start: number, text: string) => store.createSegment({ mediaId: media.id, start, end: start + 0.8, source: 'manual', text });
    const segments = {
      sure: at(0, 'sure'),
      unsure: at(3, 'unsure'),
      hardest: at(6, 'hardest'),
      // Starts 0.5 s after "hardest": a near-duplicate, queued after the others.
      twin: at(6.5, 'twin'),
      labelled: at(9, 'labelled'),
      unpredicted: at(12, 'unpredicted'),
      relabelled: at(15, 'predicted twice'),
    };
    const predict = (segmentId: number, p: ReturnType<typeof probabilities>) =>
      store.addPrediction({
        segmentId,
        modelId: 'pack',
        modelVersion: '1',
        score: 0,
        probabilities: p,
        contributions: { text: null, audio: null, visual: null },
      });
    predict(segments.sure.id, probabilities(0.9, 0.05));
    predict(segments.unsure.id, probabilities(0.6, 0.3));
    predict(segments.hardest.id, probabilities(0.34, 0.33));
    predict(segments.twin.id, probabilities(0.35, 0.33));
    predict(segments.labelled.id, probabilities(0.4, 0.3));
    predict(segments.relabelled.id, probabilities(0.34, 0.34));
    // Its latest prediction is the one that counts: confident now.
    predict(segments.relabelled.id, probabilities(0.85, 0.1));
    store.setMosiLabel({ segmentId: segments.labelled.id, annotator: 'ann', values: { score: 1, text: null, audio: null, visual: null } });
    store.close();
    const before = readFileSync(file);

    const run = await runSentiscope(['queue', '--project', file, '--n', '10']);
    expect(run.code, run.stderr).toBe(0);
    const queue = JSON.parse(run.stdout);
    expect(queue.items.map((i: { text: string }) => i.text)).toEqual(['hardest', 'unsure', 'predicted twice', 'sure', 'twin']);
    expect(queue.items.map((i: { band: string }) => i.band)).toEqual(['hard', 'uncertain', 'confident', 'confident', 'hard']);
    expect(queue).toMatchObject({ candidates: 5, labelled: 1, withoutPrediction: 1 });
    expect(queue.items[0].uncertainty).toBeCloseTo(1 - 0.34, 6);
    expect(queue.items[0].entropy).toBeGreaterThan(queue.items[1].entropy);
    expect(readFileSync(file).equals(before)).toBe(true);

    const two = JSON.parse((await runSentiscope(['queue', '--project', file, '--n', '2'])).stdout);
    expect(two.items.map((i: { text: string }) => i.text)).toEqual(['hardest', 'unsure']);
    const none = await runSentiscope(['queue', '--project', file, '--model', 'other']);
    expect(JSON.parse(none.stdout).items).toEqual([]);
    const missing = await runSentiscope(['queue', '--project', join(dir, 'nope.sentiscope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.sentiscope does not exist');
  }, 60_000);
});
