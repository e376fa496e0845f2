// Acoustic features on real decoded audio: an ffmpeg-generated 220 Hz tone, EmoDB speech
// (a male and a female speaker), and the MOSI clip streamed through decodeAudio.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AcousticFrames,
  extractAcousticFeatures,
  extractAcousticFeaturesFromMedia,
  utteranceStatistics,
} from '../../src/core/analysis/acoustic';
import { decodeAudioToArray, resolveMediaTools } from '../../src/core/media';
import { makeTempDir, MOSI_CLIP, removeTempDir } from '../helpers/generate-media';

const run = promisify(execFile);
const emodb = (file: string) => fileURLToPath(new URL(`../../../shared/data/emodb/wav/${file}`, import.meta.url));
const EMODB_LABELS = fileURLToPath(new URL('../../../shared/data/emodb/labels.csv', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-acoustic-');
});
afterAll(async () => {
  await removeTempDir(dir);
});

function column(m: AcousticFrames, name: string): number[] {
  const c = m.names.indexOf(name);
  return Array.from({ length: m.frames }, (_, t) => m.data[t * m.dims + c]);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};
const expectedFrames = (n: number) => (n < 400 ? 0 : Math.floor((n - 400) / 160) + 1);

describe('ffmpeg-generated tone', () => {
  it('a 220 Hz lavfi sine (44.1 kHz WAV, resampled to 16 kHz) has median F0 within 2 Hz and high voicing', async () => {
    const wav = join(dir, 'sine220.wav');
    await run(resolveMediaTools().ffmpeg.path, [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=220:sample_rate=44100:duration=3',
      '-c:a',
      'pcm_s16le',
      wav,
    ]);
    const samples = await decodeAudioToArray(wav);
    expect(samples.length).toBe(48_000);
    const m = extractAcousticFeatures(samples);
    expect(m.frames).toBe(expectedFrames(samples.length));
    expect(Math.abs(median(column(m, 'f0_hz')) - 220)).toBeLessThan(2);
    expect(median(column(m, 'voicing_prob'))).toBeGreaterThan(0.9);
    const stats = utteranceStatistics(m)!;
    expect(stats.values[stats.names.indexOf('voiced_ratio')]).toBeGreaterThan(0.95);
  });
});

describe('EmoDB speech', () => {
  async function voicedMedianF0(file: string): Promise<{ median: number; m: AcousticFrames; n: number }> {
    const samples = await decodeAudioToArray(emodb(file));
    const m = extractAcousticFeatures(samples);
    return { median: median(column(m, 'f0_hz').filter((v) => v > 0)), m, n: samples.length };
  }

  it('03a01Fa.wav: snip-edges frame count, finite values, plausible male F0', async () => {
    const { median: f0, m, n } = await voicedMedianF0('03a01Fa.wav');
    expect(n).toBe(32_000); // every EmoDB file here is exactly 2.0 s
    expect(m.frames).toBe(expectedFrames(n));
    expect(m.frames).toBe(198);
    expect(m.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(f0).toBeGreaterThan(70);
    expect(f0).toBeLessThan(300);
    const stats = utteranceStatistics(m)!;
    expect(stats.values.every((v) => Number.isFinite(v))).toBe(true);
    const voiced = stats.values[stats.names.indexOf('voiced_ratio')];
    // Speech: partly voiced, never all or nothing.
    expect(voiced).toBeGreaterThan(0.15);
    expect(voiced).toBeLessThan(0.95);
  });

  it('female speaker 08 has a higher voiced F0 median than male speaker 03', async () => {
    const labels = (await readFile(EMODB_LABELS, 'utf8'))
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(',').map((f) => f.trim()));
    // Neutral utterances, so emotion does not drive the pitch.
    const pick = (speaker: string) =>
      labels
        .filter(([, s, e]) => s === speaker && e === 'neutral')
        .slice(0, 4)
        .map(([file]) => file);
    const speakerMedian = async (speaker: string) => {
      const files = pick(speaker);
      expect(files.length).toBe(4);
      const medians: number[] = [];
      for (const file of files) medians.push((await voicedMedianF0(file)).median);
      return median(medians);
    };
    const male = await speakerMedian('03');
    const female = await speakerMedian('08');
    for (const f0 of [male, female]) {
      expect(f0).toBeGreaterThan(70);
      expect(f0).toBeLessThan(300);
    }
    expect(male).toBeLessThan(170);
    expect(female).toBeGreaterThan(male + 30);
  });
});

describe('streamed from decodeAudio', () => {
  it('the MOSI clip streamed in odd-sized chunks equals one-shot extraction of the decoded array', async () => {
    const oneShot = extractAcousticFeatures(await decodeAudioToArray(MOSI_CLIP, { start: 1, end: 5 }));
    const streamed = await extractAcousticFeaturesFromMedia(MOSI_CLIP, { start: 1, end: 5, chunkSamples: 1237 });
    expect(oneShot.frames).toBe(expectedFrames(64_000));
    expect(streamed.frames).toBe(oneShot.frames);
    expect(Buffer.from(streamed.data.buffer).equals(Buffer.from(oneShot.data.buffer))).toBe(true);
    expect(streamed.data.every((v) => Number.isFinite(v))).toBe(true);
    // Speech in the clip: some voiced frames.
    expect(column(streamed, 'f0_hz').some((v) => v > 0)).toBe(true);
  });

  it('a range shorter than one frame gives zero frames and no statistics', async () => {
    const m = await extractAcousticFeaturesFromMedia(MOSI_CLIP, { start: 2, end: 2.02 });
    expect(m.frames).toBe(0);
    expect(m.data.length).toBe(0);
    expect(utteranceStatistics(m)).toBeNull();
  });
});
