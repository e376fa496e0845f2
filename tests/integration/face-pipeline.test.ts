// The visual modality end to end on real media: the MOSI speaker is found and read, videos
// without a face and undecodable files give an absent modality (with a reason), still images
// (MVSA posts) go through the same path, and the recipe guards the model files.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_VISUAL_RECIPE,
  EMOTION_LABELS,
  VisualAnalyzer,
  type VisualFeatures,
  type VisualRecipe,
  describeVisualRecipeMismatch,
  visualStatistics,
} from '../../src/core/analysis/face';
import { resolveMediaTools } from '../../src/core/media';
import { SentiscopeError } from '../../src/shared/errors';

const MOSI_CLIP = '../shared/data/mosi/media/Oz06ZWiO20M_6.mp4';
const MOSI_WAV = '../shared/data/mosi/media/03bSnISJMiM_1.wav';
// MVSA posts: 1013 is a close-up selfie of a smiling girl; 100 is a chocolate box with text.
const MVSA_FACE = '../shared/data/mvsa/images/1013.jpg';
const MVSA_NO_FACE = '../shared/data/mvsa/images/100.jpg';

let dir: string;
let analyzer: VisualAnalyzer;
let mosi: VisualFeatures;

function ffmpeg(args: string[]): void {
  execFileSync(resolveMediaTools().ffmpeg.path, ['-hide_banner', '-v', 'error', '-y', ...args]);
}

function sumsToOne(p: Float32Array): boolean {
  return Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sentiscope-face-'));
  analyzer = await VisualAnalyzer.create();
  mosi = await analyzer.analyzeMedia(MOSI_CLIP);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the MOSI speaker', () => {
  it('samples 5 fps and finds the face in most frames', () => {
    // 7.5 s at 5 fps.
    expect(mosi.frames.length).toBeGreaterThanOrEqual(37);
    expect(mosi.frames.length).toBeLessThanOrEqual(38);
    expect(mosi.present).toBe(true);
    expect(mosi.absence).toBeNull();
    expect(mosi.statistics.faceRatio).toBeGreaterThan(0.8);
    expect(mosi.frames[5].time).toBeCloseTo(1, 6);
  });

  it('boxes the speaker: inside the frame, plausible size, around the centre', () => {
    for (const f of mosi.frames.filter((f) => f.present)) {
      const [x, y, w, h] = f.box!;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(1 + 1e-6);
      expect(y + h).toBeLessThanOrEqual(1 + 1e-6);
      // A head-and-shoulders shot: the face spans 15-60 % of the frame width.
      expect(w).toBeGreaterThan(0.15);
      expect(w).toBeLessThan(0.6);
      // 480x360 frame: a face box is about square in pixels.
      expect((w * 480) / (h * 360)).toBeGreaterThan(0.7);
      expect((w * 480) / (h * 360)).toBeLessThan(1.4);
      expect(x + w / 2).toBeGreaterThan(0.3);
      expect(x + w / 2).toBeLessThan(0.7);
      expect(y + h / 2).toBeGreaterThan(0.2);
      expect(y + h / 2).toBeLessThan(0.7);
      expect(f.score).toBeGreaterThanOrEqual(DEFAULT_VISUAL_RECIPE.detector.minScore);
    }
  });

  it('gives 7 emotion probabilities per face frame, summing to 1, and their segment mean', () => {
    for (const f of mosi.frames.filter((f) => f.present)) {
      expect(f.emotions!.length).toBe(7);
      expect(sumsToOne(f.emotions!)).toBe(true);
    }
    expect(mosi.labels).toEqual(EMOTION_LABELS);
    const stats = mosi.statistics;
    expect(sumsToOne(stats.meanEmotions!)).toBe(true);
    expect(EMOTION_LABELS).toContain(stats.dominantEmotion);
    // The frames do not all say the same: the expression net reads each face.
    const happy = mosi.frames.filter((f) => f.present).map((f) => f.emotions![3]);
    expect(Math.max(...happy) - Math.min(...happy)).toBeGreaterThan(0.01);
  });

  it('summarises a segment from the frames inside it', () => {
    const seg = visualStatistics(mosi.frames, mosi.labels, { start: 2, end: 4 });
    expect(seg.frames).toBe(10);
    expect(seg.faceRatio).toBe(seg.faceFrames / 10);
    const direct = mosi.frames.filter((f) => f.time >= 2 && f.time < 4 && f.present);
    expect(seg.meanEmotions![0]).toBeCloseTo(direct.reduce((a, f) => a + f.emotions![0], 0) / direct.length, 6);
  });

  it('analyses only the requested range', async () => {
    const part = await analyzer.analyzeMedia(MOSI_CLIP, { start: 1, end: 2 });
    expect(part.frames.length).toBe(5);
    expect(part.frames[0].time).toBeCloseTo(1, 6);
    expect(part.present).toBe(true);
  });
});

describe('no face', () => {
  it.each([
    ['a solid colour', 'color=c=0x3060a0:s=320x240:d=2:r=25'],
    ['the ffmpeg test pattern', 'testsrc2=s=320x240:d=2:r=25'],
  ])('%s video: every frame faceless, the modality absent, not an error', async (_name, source) => {
    const file = join(dir, `noface-${_name.length}.mp4`);
    ffmpeg(['-f', 'lavfi', '-i', source, '-pix_fmt', 'yuv420p', file]);
    const r = await analyzer.analyzeMedia(file);
    expect(r.frames.length).toBe(10);
    expect(r.frames.every((f) => !f.present && f.box === null && f.emotions === null && f.score === 0)).toBe(true);
    expect(r.present).toBe(false);
    expect(r.absence?.reason).toBe('no-face');
    expect(r.statistics).toEqual({ frames: 10, faceFrames: 0, faceRatio: 0, meanEmotions: null, dominantEmotion: null, meanScore: null });
  });
});

describe('still images (MVSA posts)', () => {
  it('reads the face in a selfie as one frame', async () => {
    const r = await analyzer.analyzeMedia(MVSA_FACE);
    expect(r.frames.length).toBe(1);
    expect(r.frames[0].time).toBe(0);
    expect(r.present).toBe(true);
    expect(r.statistics.faceRatio).toBe(1);
    const [x, y, w, h] = r.frames[0].box!;
    expect(w * h).toBeGreaterThan(0.1);
    expect(x + w / 2).toBeGreaterThan(0.25);
    expect(x + w / 2).toBeLessThan(0.75);
    expect(y + h / 2).toBeGreaterThan(0.25);
    expect(y + h / 2).toBeLessThan(0.9);
    expect(sumsToOne(r.frames[0].emotions!)).toBe(true);
    // A broad smile.
    expect(r.statistics.dominantEmotion).toBe('happy');
  });

  it('marks a picture without a face absent', async () => {
    const r = await analyzer.analyzeMedia(MVSA_NO_FACE);
    expect(r.frames.length).toBe(1);
    expect(r.present).toBe(false);
    expect(r.absence?.reason).toBe('no-face');
  });
});

describe('files whose frames cannot be read', () => {
  it('a truncated MP4 (index lost): absent as undecodable, with the media error attached', async () => {
    const file = join(dir, 'truncated.mp4');
    const bytes = readFileSync(MOSI_CLIP);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = await analyzer.analyzeMedia(file);
    expect(r.present).toBe(false);
    expect(r.absence?.reason).toBe('undecodable');
    expect(r.absence?.error?.code).toBe('media-corrupt');
    expect(r.absence?.message).toContain(file);
  });

  it('garbage over 20 kB in the middle of the video data: every frame still comes, no crash', async () => {
    const file = join(dir, 'damaged.mp4');
    const bytes = Buffer.from(readFileSync(MOSI_CLIP));
    const at = Math.floor(bytes.length * 0.4);
    for (let i = 0; i < 20_000; i++) bytes[at + i] = (i * 7919) % 251;
    writeFileSync(file, bytes);
    const r = await analyzer.analyzeMedia(file);
    // ffmpeg conceals the damaged macroblocks; the frames keep their times.
    expect(r.frames.length).toBe(mosi.frames.length);
    expect(r.present).toBe(true);
    expect(r.statistics.faceRatio).toBeGreaterThan(0.5);
  });

  it('bytes that are not media: absent as undecodable (not-media)', async () => {
    const file = join(dir, 'garbage.mp4');
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const r = await analyzer.analyzeMedia(file);
    expect(r.present).toBe(false);
    expect(r.absence?.reason).toBe('undecodable');
    expect(r.absence?.error?.code).toBe('not-media');
    expect(r.frames).toEqual([]);
  });

  it('an audio-only file: absent as no-video', async () => {
    const r = await analyzer.analyzeMedia(MOSI_WAV);
    expect(r.absence?.reason).toBe('no-video');
    expect(r.statistics.faceRatio).toBe(0);
  });

  it('a missing file is still an error the user sees, naming the file', async () => {
    const file = join(dir, 'nowhere.mp4');
    const err = await analyzer.analyzeMedia(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SentiscopeError);
    expect((err as SentiscopeError).message).toContain('nowhere.mp4');
  });
});

describe('recipe and model files', () => {
  it('describes what differs between recipes, field by field', () => {
    expect(describeVisualRecipeMismatch(structuredClone(DEFAULT_VISUAL_RECIPE))).toBeNull();
    const other = structuredClone(DEFAULT_VISUAL_RECIPE) as VisualRecipe;
    other.fps = 10;
    other.expression.labels = [...EMOTION_LABELS].reverse();
    const text = describeVisualRecipeMismatch(other)!;
    expect(text).toContain('fps: pack expects 10, this build computes 5');
    expect(text).toContain('expression.labels.0: pack expects "neutral", this build computes "angry"');
  });

  it("refuses model files that are not the recipe's, and a folder without models", async () => {
    const other = structuredClone(DEFAULT_VISUAL_RECIPE) as VisualRecipe;
    other.expression.sha256 = '0'.repeat(64);
    await expect(VisualAnalyzer.create({ recipe: other })).rejects.toThrow(/expression\.sha256/);
    const empty = join(dir, 'no-models');
    await expect(VisualAnalyzer.create({ modelDir: empty })).rejects.toThrow(/manifest\.json is missing.*convert-face-models\.py/);
  });
});
