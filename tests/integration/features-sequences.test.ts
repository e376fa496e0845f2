// `sentiscope features --sequences` on real media: a MOSI clip range with its transcript, an
// EmoDB wav, an MVSA image + tweet, through the real bin. The ragged frame files must be
// consistent with their offsets, have the frame counts the media gives, and be the very
// numbers the utterance statistics summarise (per-row means equal the *_mean statistics).

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acousticFeatureNames, acousticFrameCount, DEFAULT_ACOUSTIC_RECIPE } from '../../src/core/analysis/acoustic';
import { DEFAULT_VISUAL_RECIPE } from '../../src/core/analysis/face';
import { AUDIO_STATISTICS_NAMES, VISUAL_FRAME_NAMES, VISUAL_STATISTICS_NAMES } from '../../src/core/analysis/features/segment-features';
import { decodeNpyFloat32, decodeNpyInt64Vector, type NpyMatrix } from '../../src/core/io/npy';
import { decodeAudioToArray } from '../../src/core/media';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const DATA = resolve('../shared/data');
const CLIP_START = 0.5;
const CLIP_END = 6.5;

function sentiscope(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function mosiTranscript(videoId: string, clipId: string): string {
  const { header, rows } = parseCsv(readFileSync(join(DATA, 'mosi/segments.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const row = rows.find((r) => r.cells[col('video_id')] === videoId && r.cells[col('clip_id')] === clipId);
  if (!row) throw new Error(`no transcript for ${videoId}_${clipId}`);
  return row.cells[col('text')];
}

/** Column means of frames [from, to) of a matrix, in float64. */
function columnMeans(m: NpyMatrix, from: number, to: number): number[] {
  const means = new Array<number>(m.cols).fill(0);
  for (let t = from; t < to; t++) for (let c = 0; c < m.cols; c++) means[c] += m.data[t * m.cols + c];
  return means.map((sum) => sum / (to - from));
}

let dir: string;
let out: string;
let run: ReturnType<typeof sentiscope>;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-features-seq-');
  const input = join(dir, 'in.csv');
  const transcript = mosiTranscript('Oz06ZWiO20M', '6').replace(/"/g, '""');
  writeFileSync(
    input,
    [
      'id,text,image,audio,video,start_s,end_s,label',
      `clip,"${transcript}",,,mosi/media/Oz06ZWiO20M_6.mp4,${CLIP_START},${CLIP_END},negative`,
      'wav,,,emodb/wav/03a01Fa.wav,,,,negative',
      'post,So proud of her today!,mvsa/images/4713.jpg,,,,,positive',
    ].join('\n') + '\n',
  );
  out = join(dir, 'out');
  run = sentiscope('features', '--in', input, '--out', out, '--base', DATA, '--sequences');
}, 240_000);
afterAll(async () => {
  await removeTempDir(dir);
});

const npy = (name: string) => decodeNpyFloat32(readFileSync(join(out, name)), name);
const offsets = (name: string) => decodeNpyInt64Vector(readFileSync(join(out, name)), name);

describe('sentiscope features --sequences', () => {
  it('writes ragged audio and visual frames with consistent offsets', () => {
    expect(run.stderr).toMatch(/features: 3\/3 rows/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 3, present: { text: 2, audio: 2, visual: 2 } });

    const audioNames = acousticFeatureNames(DEFAULT_ACOUSTIC_RECIPE);
    expect(audioNames).toHaveLength(57);
    for (const [frames, offsetFile, dims] of [
      ['audio_frames.npy', 'audio_frame_offsets.npy', audioNames.length],
      ['visual_frames.npy', 'visual_frame_offsets.npy', VISUAL_FRAME_NAMES.length],
    ] as const) {
      const matrix = npy(frames);
      const bounds = offsets(offsetFile);
      expect(matrix.cols).toBe(dims);
      expect(bounds).toHaveLength(4);
      expect(bounds[0]).toBe(0);
      for (let i = 1; i < bounds.length; i++) expect(bounds[i]).toBeGreaterThanOrEqual(bounds[i - 1]);
      expect(bounds[3]).toBe(matrix.rows);
      expect(matrix.data.every(Number.isFinite)).toBe(true);
    }

    const description = JSON.parse(readFileSync(join(out, 'features.json'), 'utf8'));
    expect(description.columns.audio_frames).toEqual(audioNames);
    expect(description.columns.visual_frames).toEqual([
      'face',
      'emotion_angry',
      'emotion_disgust',
      'emotion_fear',
      'emotion_happy',
      'emotion_sad',
      'emotion_surprise',
      'emotion_neutral',
      'face_score',
    ]);
    expect(description.files).toMatchObject({
      audio_frames: 'audio_frames.npy',
      audio_frame_offsets: 'audio_frame_offsets.npy',
      visual_frames: 'visual_frames.npy',
      visual_frame_offsets: 'visual_frame_offsets.npy',
    });
    expect(description.sequences.audio).toEqual({ frames: npy('audio_frames.npy').rows, framesPerSecond: 100 });
    expect(description.sequences.visual).toEqual({ frames: npy('visual_frames.npy').rows, framesPerSecond: DEFAULT_VISUAL_RECIPE.fps });
    expect(description.recipes.audio.hopMs).toBe(10);
    expect(description.recipes.visual.fps).toBe(DEFAULT_VISUAL_RECIPE.fps);
  });

  it("has the frame counts that each row's media gives", async () => {
    const audio = offsets('audio_frame_offsets.npy');
    const visual = offsets('visual_frame_offsets.npy');
    // The MOSI range: one 25 ms frame every 10 ms over the decoded 16 kHz samples.
    const samples = (await decodeAudioToArray(MOSI_CLIP, { start: CLIP_START, end: CLIP_END })).length;
    expect(samples).toBeGreaterThan(16_000 * 5);
    expect(audio[1] - audio[0]).toBe(Math.floor((samples - 400) / 160) + 1);
    expect(audio[1] - audio[0]).toBe(acousticFrameCount(DEFAULT_ACOUSTIC_RECIPE, samples));
    expect(visual[1] - visual[0]).toBeGreaterThan(0);
    // EmoDB wav: audio frames, no visual (not given).
    expect(audio[2] - audio[1]).toBeGreaterThan(100);
    expect(visual[2] - visual[1]).toBe(0);
    // MVSA image: its one frame, no audio.
    expect(audio[3] - audio[2]).toBe(0);
    expect(visual[3] - visual[2]).toBe(1);
  }, 60_000);

  it('holds the numbers the utterance statistics summarise', () => {
    const frames = npy('audio_frames.npy');
    const bounds = offsets('audio_frame_offsets.npy');
    const statistics = npy('audio_statistics.npy');
    const meanColumns = frames.cols;
    for (const row of [0, 1]) {
      const means = columnMeans(frames, bounds[row], bounds[row + 1]);
      for (let c = 0; c < meanColumns; c++) {
        const name = `${acousticFeatureNames(DEFAULT_ACOUSTIC_RECIPE)[c]}_mean`;
        const expected = statistics.data[row * statistics.cols + AUDIO_STATISTICS_NAMES.indexOf(name)];
        expect(Math.abs(means[c] - expected), `row ${row} ${name}`).toBeLessThanOrEqual(1e-4);
      }
    }

    // Visual: face_ratio is the mean of `face`; emotion and score means are over face rows.
    const visualFrames = npy('visual_frames.npy');
    const visualBounds = offsets('visual_frame_offsets.npy');
    const visualStatistics = npy('visual_statistics.npy');
    for (const row of [0, 2]) {
      const from = visualBounds[row];
      const to = visualBounds[row + 1];
      const dims = visualFrames.cols;
      let faces = 0;
      const sums = new Array<number>(dims).fill(0);
      for (let t = from; t < to; t++) {
        if (visualFrames.data[t * dims] !== 1) continue;
        faces++;
        for (let c = 1; c < dims; c++) sums[c] += visualFrames.data[t * dims + c];
      }
      const expected = Array.from(visualStatistics.data.subarray(row * visualStatistics.cols, (row + 1) * visualStatistics.cols));
      expect(VISUAL_STATISTICS_NAMES).toHaveLength(dims);
      expect(faces).toBeGreaterThan(0);
      expect(Math.abs(faces / (to - from) - expected[0])).toBeLessThanOrEqual(1e-6);
      for (let c = 1; c < dims; c++)
        expect(Math.abs(sums[c] / faces - expected[c]), `row ${row} ${VISUAL_STATISTICS_NAMES[c]}`).toBeLessThanOrEqual(1e-4);
    }
  });
});
