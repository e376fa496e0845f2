// Detect and track (visual recipe v2) against detection on every frame, on real video: the
// MOSI speaker as is, the speaker panning fast across the frame, and a face that appears and
// leaves. Tracking must keep the face presence frame for frame and the boxes and expression
// means close, with far fewer BlazeFace runs.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_VISUAL_RECIPE,
  FaceTrack,
  type TrackedFrame,
  VisualAnalyzer,
  type VisualRecipe,
  describeVisualRecipeMismatch,
  faceShift,
  greyThumbnail,
} from '../../src/core/analysis/face';
import { type VideoFrame, resolveMediaTools, sampleFrames } from '../../src/core/media';

const MOSI_CLIP = '../shared/data/mosi/media/Oz06ZWiO20M_6.mp4';
const recipe = DEFAULT_VISUAL_RECIPE as VisualRecipe;

let dir: string;
let analyzer: VisualAnalyzer;

function ffmpeg(args: string[]): void {
  execFileSync(resolveMediaTools().ffmpeg.path, ['-hide_banner', '-v', 'error', '-y', ...args]);
}

async function framesOf(path: string): Promise<VideoFrame[]> {
  const frames: VideoFrame[] = [];
  for await (const f of sampleFrames(path, { fps: recipe.fps, maxSize: recipe.maxSize })) frames.push(f);
  return frames;
}

async function trackAll(frames: VideoFrame[], detectEvery: number): Promise<TrackedFrame[]> {
  const track = new FaceTrack(analyzer.detector, analyzer.expression, { ...recipe.tracker, detectEvery, fps: recipe.fps });
  const out: TrackedFrame[] = [];
  for (const f of frames) out.push(...(await track.push(f)));
  out.push(...(await track.flush()));
  return out;
}

function compare(tracked: TrackedFrame[], every: TrackedFrame[]) {
  expect(tracked.map((f) => f.time)).toEqual(every.map((f) => f.time));
  const both = tracked.filter((f, i) => f.face && every[i].face);
  let boxError = 0;
  const mean = (fs: TrackedFrame[]) => {
    const m = new Array(7).fill(0);
    const withFace = fs.filter((f) => f.emotions);
    for (const f of withFace) f.emotions!.forEach((p, j) => (m[j] += p / withFace.length));
    return m;
  };
  tracked.forEach((f, i) => {
    const g = every[i];
    if (!f.face || !g.face) return;
    boxError += (Math.abs(f.face.box.x - g.face.box.x) / f.width + Math.abs(f.face.box.y - g.face.box.y) / f.height) / 2;
  });
  const a = mean(tracked);
  const b = mean(every);
  const r = {
    presence: tracked.map((f) => f.face !== null),
    detections: tracked.filter((f) => f.detected).length,
    boxError: boxError / Math.max(1, both.length),
    meanDiff: Math.max(...a.map((v, j) => Math.abs(v - b[j]))),
  };
  return r;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sentiscope-track-'));
  analyzer = await VisualAnalyzer.create();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the MOSI speaker', () => {
  it('tracked between keyframes: same face presence, boxes and emotion means close, a quarter of the detections', async () => {
    const frames = await framesOf(MOSI_CLIP);
    const every = await trackAll(frames, 1);
    const tracked = await trackAll(frames, recipe.tracker.detectEvery);
    expect(every.every((f) => f.detected)).toBe(true);
    const c = compare(tracked, every);
    expect(c.presence).toEqual(every.map((f) => f.face !== null));
    // Measured: 9 of 38 frames detected (keyframes every 5th frame + the last), box centres
    // within 0.7 % of the frame size on average, emotion means within 0.017. A 1-2 px shift
    // of a detected box alone moves these means by ~0.03 (mini-Xception is that sensitive).
    expect(c.detections).toBeLessThanOrEqual(Math.ceil(frames.length / recipe.tracker.detectEvery) + 2);
    expect(c.boxError).toBeLessThan(0.015);
    expect(c.meanDiff).toBeLessThan(0.05);
    for (const f of tracked.filter((f) => f.emotions)) expect(Math.abs(f.emotions!.reduce((s, p) => s + p, 0) - 1)).toBeLessThan(1e-4);
  });

  it('analyzeMedia uses the recipe: face ratio as with detection on every frame', async () => {
    const everyRecipe = structuredClone(recipe);
    everyRecipe.tracker.detectEvery = 1;
    const every = await (await VisualAnalyzer.create({ recipe: everyRecipe })).analyzeMedia(MOSI_CLIP);
    const tracked = await analyzer.analyzeMedia(MOSI_CLIP);
    expect(tracked.statistics.faceRatio).toBe(every.statistics.faceRatio);
    expect(tracked.statistics.faceRatio).toBeGreaterThan(0.8);
    tracked.statistics.meanEmotions!.forEach((p, j) => expect(Math.abs(p - every.statistics.meanEmotions![j])).toBeLessThan(0.05));
    expect(Math.abs(tracked.statistics.meanScore! - every.statistics.meanScore!)).toBeLessThan(0.02);
  });
});

describe('motion and presence changes', () => {
  it('follows a face moving across the frame (up to ~20 px a sampled frame)', async () => {
    // The clip at half size, gliding over a plain background on an ellipse.
    const file = join(dir, 'glide.mp4');
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=c=0x406080:s=480x360:r=30:d=6',
      '-i',
      MOSI_CLIP,
      '-filter_complex',
      "[1:v]scale=240:180[fg];[0:v][fg]overlay=x='120+110*sin(t*1.5)':y='90+60*cos(t*1.5)':shortest=1,setsar=1[v]",
      '-map',
      '[v]',
      '-t',
      '6',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
    const frames = await framesOf(file);
    const every = await trackAll(frames, 1);
    const tracked = await trackAll(frames, recipe.tracker.detectEvery);
    const c = compare(tracked, every);
    expect(every.filter((f) => f.face).length).toBeGreaterThan(0.8 * frames.length);
    expect(c.presence).toEqual(every.map((f) => f.face !== null));
    // Measured: 7 of 30 frames detected, box error 0.4 %, means within 0.041 (a face of
    // ~30 px: one pixel is 3 % of it, and mini-Xception reads a 64 px upscale of it).
    expect(c.boxError).toBeLessThan(0.015);
    expect(c.meanDiff).toBeLessThan(0.08);
    expect(c.detections).toBeLessThan(0.5 * frames.length);
  });

  it('finds a face that appears and leaves to the frame, detecting around the changes only', async () => {
    const file = join(dir, 'appear.mp4');
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=c=0x406080:s=480x360:r=30:d=1.8',
      '-ss',
      '1',
      '-t',
      '2.2',
      '-i',
      MOSI_CLIP,
      '-f',
      'lavfi',
      '-i',
      'color=c=0x406080:s=480x360:r=30:d=1.6',
      '-filter_complex',
      '[0:v]setsar=1[a];[1:v]fps=30,setsar=1[b];[2:v]setsar=1[c];[a][b][c]concat=n=3:v=1:a=0[v]',
      '-map',
      '[v]',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
    const frames = await framesOf(file);
    const every = await trackAll(frames, 1);
    const tracked = await trackAll(frames, recipe.tracker.detectEvery);
    const presence = every.map((f) => f.face !== null);
    expect(presence.filter(Boolean).length).toBeGreaterThanOrEqual(9);
    expect(presence.filter((p) => !p).length).toBeGreaterThanOrEqual(14);
    const c = compare(tracked, every);
    expect(c.presence).toEqual(presence);
    // Measured: 13 of 28 (keyframes, plus the halvings around the two changes).
    expect(c.detections).toBeLessThan(0.6 * frames.length);
  });

  it('starts again after a gap in the frames (a stretch between segments skipped)', async () => {
    const frames = await framesOf(MOSI_CLIP);
    const kept = [...frames.slice(0, 8), ...frames.slice(20, 30)];
    const tracked = await trackAll(kept, recipe.tracker.detectEvery);
    expect(tracked.map((f) => f.time)).toEqual(kept.map((f) => f.time));
    // First frame of each run and the last frame of each run are keyframes.
    expect(tracked[0].detected).toBe(true);
    expect(tracked[7].detected).toBe(true);
    expect(tracked[8].detected).toBe(true);
    expect(tracked[17].detected).toBe(true);
    expect(tracked.every((f) => f.face)).toBe(true);
  });
});

describe('motion search', () => {
  it('recovers a known shift of a real frame to a fraction of a pixel', async () => {
    const [frame] = await framesOf(MOSI_CLIP);
    const { width, height } = frame;
    const shifted = (dx: number, dy: number) => {
      const rgb = new Uint8Array(frame.rgb.length);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const sx = Math.min(width - 1, Math.max(0, x - dx));
          const sy = Math.min(height - 1, Math.max(0, y - dy));
          for (let c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = frame.rgb[(sy * width + sx) * 3 + c];
        }
      }
      return { width, height, rgb };
    };
    const box = { x: 90, y: 40, width: 90, height: 90 };
    const from = greyThumbnail(frame, recipe.tracker.thumbnailScale);
    for (const [dx, dy] of [
      [0, 0],
      [12, -8],
      [-24, 16],
      [30, 5],
    ]) {
      const shift = faceShift(from, greyThumbnail(shifted(dx, dy), recipe.tracker.thumbnailScale), box, recipe.tracker.searchRadius);
      expect(Math.abs(shift.dx - dx)).toBeLessThan(2);
      expect(Math.abs(shift.dy - dy)).toBeLessThan(2);
    }
  });
});

describe('recipe', () => {
  it('tells a v1 pack (detection on every frame) what differs', () => {
    const v1 = structuredClone(recipe) as Partial<VisualRecipe>;
    v1.version = 1;
    delete v1.tracker;
    const text = describeVisualRecipeMismatch(v1)!;
    expect(text).toContain(`tracker.detectEvery: pack expects 1, this build computes ${recipe.tracker.detectEvery}`);
    expect(text).toContain('version: pack expects 1, this build computes 2');
    expect(describeVisualRecipeMismatch(structuredClone(recipe))).toBeNull();
  });

  it('a v1 recipe given to the analyzer detects every frame, as v1 did', async () => {
    const v1 = structuredClone(recipe) as Partial<VisualRecipe>;
    v1.version = 1;
    delete v1.tracker;
    const old = await VisualAnalyzer.create({ recipe: v1 as VisualRecipe });
    const everyRecipe = structuredClone(recipe);
    everyRecipe.tracker.detectEvery = 1;
    const every = await (await VisualAnalyzer.create({ recipe: everyRecipe })).analyzeMedia(MOSI_CLIP, { start: 1, end: 3 });
    const fromV1 = await old.analyzeMedia(MOSI_CLIP, { start: 1, end: 3 });
    expect(fromV1.frames).toEqual(every.frames);
  });
});
