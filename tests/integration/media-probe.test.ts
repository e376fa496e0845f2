// Probing real and generated media with the real ffmpeg/ffprobe: numbers, still images,
// every failure kind (code + one-line message naming the file), the ffmpeg-only path,
// and tool resolution (env overrides, no ffprobe, no ffmpeg).

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertHasAudio, assertHasVideo, findMediaTools, probeMedia, resetMediaTools, resolveMediaTools } from '../../src/core/media';
import { SentiscopeError, type ErrorCode } from '../../src/shared/errors';
import type { ProbeInfo } from '../../src/shared/domain';
import {
  MOSI_CLIP,
  MOSI_WAV,
  copyAs,
  generateAudioM4a,
  generateAudioWav,
  generatePngImage,
  generateUnknownCodecVideo,
  generateVideoOnly,
  generateVideoWithAudio,
  makeTempDir,
  removeTempDir,
  textFileAsMedia,
  truncatedCopy,
} from '../helpers/generate-media';

let dir: string;
const savedEnv = { ffmpeg: process.env.SENTISCOPE_FFMPEG, ffprobe: process.env.SENTISCOPE_FFPROBE };

function restoreEnv(): void {
  for (const [key, value] of [
    ['SENTISCOPE_FFMPEG', savedEnv.ffmpeg],
    ['SENTISCOPE_FFPROBE', savedEnv.ffprobe],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetMediaTools();
}

beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});
afterEach(restoreEnv);

async function expectFailure(promise: Promise<unknown>, code: ErrorCode, file: string): Promise<SentiscopeError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SentiscopeError);
  const e = err as SentiscopeError;
  expect(e.code).toBe(code);
  expect(e.message).toContain(basename(file));
  expect(e.message).not.toMatch(/[\r\n]/);
  // Says what to do: every message has an instruction after the colon.
  expect(e.message).toMatch(/: [a-z]/);
  return e;
}

function expectMosiNumbers(info: ProbeInfo): void {
  expect(info.duration).toBeGreaterThan(7.45);
  expect(info.duration).toBeLessThan(7.55);
  expect(info.video).toMatchObject({ width: 480, height: 360, codec: 'h264' });
  expect(info.video!.fps).toBeCloseTo(30, 3);
  expect(info.audio).toEqual({ sampleRate: 44100, channels: 2, codec: 'aac' });
}

describe('probeMedia on real and generated media', () => {
  it('probes the real MOSI clip: 7.5 s, 480x360 at 30 fps, AAC 44.1 kHz stereo', async () => {
    expectMosiNumbers(await probeMedia(MOSI_CLIP));
  });

  it('probes the real MOSI wav as audio only', async () => {
    const info = await probeMedia(MOSI_WAV);
    expect(info.video).toBeNull();
    expect(info.audio?.codec).toMatch(/^pcm_/);
    expect(info.duration).toBeGreaterThan(1);
  });

  it('probes generated video+audio, video-only, wav and m4a with the numbers they were made with', async () => {
    const av = await probeMedia(await generateVideoWithAudio(dir, { duration: 2, width: 320, height: 240, fps: 25 }));
    expect(av.duration).toBeCloseTo(2, 1);
    expect(av.video).toMatchObject({ width: 320, height: 240, fps: 25, codec: 'h264' });
    expect(av.audio).toMatchObject({ sampleRate: 44100, channels: 2, codec: 'aac' });

    const videoOnly = await probeMedia(await generateVideoOnly(dir, { duration: 1, width: 160, height: 120, fps: 10 }));
    expect(videoOnly.audio).toBeNull();
    expect(videoOnly.video).toMatchObject({ width: 160, height: 120, fps: 10 });

    const wav = await probeMedia(await generateAudioWav(dir, { duration: 1.5, sampleRate: 22050, channels: 1 }));
    expect(wav).toEqual({ duration: expect.closeTo(1.5, 2), video: null, audio: { sampleRate: 22050, channels: 1, codec: 'pcm_s16le' } });

    const m4a = await probeMedia(await generateAudioM4a(dir, { duration: 1 }));
    expect(m4a.video).toBeNull();
    expect(m4a.audio).toMatchObject({ sampleRate: 44100, channels: 2, codec: 'aac' });
  });

  it('probes a png as a video stream with duration 0', async () => {
    const info = await probeMedia(await generatePngImage(dir, { width: 200, height: 100 }));
    expect(info.duration).toBe(0);
    expect(info.audio).toBeNull();
    expect(info.video).toMatchObject({ width: 200, height: 100, codec: 'png' });
  });

  it('probes a file with a non-ASCII name', async () => {
    const file = await copyAs(MOSI_CLIP, dir, '情感 clip é.mp4');
    expectMosiNumbers(await probeMedia(file));
  });
});

describe('probeMedia failures', () => {
  it('missing file -> file-missing', async () => {
    const file = join(dir, 'nowhere', 'gone.mp4');
    await expectFailure(probeMedia(file), 'file-missing', file);
  });

  it('a folder -> file-unreadable', async () => {
    const folder = join(dir, 'a folder.mp4');
    await mkdir(folder, { recursive: true });
    await expectFailure(probeMedia(folder), 'file-unreadable', folder);
  });

  it('a text file renamed .mp4 -> not-media', async () => {
    const file = await textFileAsMedia(dir, 'notes.mp4');
    const err = await expectFailure(probeMedia(file), 'not-media', file);
    expect(err.message).toContain('is not a media file ffmpeg can read');
  });

  it('a truncated copy of the real clip -> media-corrupt', async () => {
    for (const fraction of [0.3, 0.9]) {
      const file = await truncatedCopy(MOSI_CLIP, dir, { name: `truncated-${fraction}.mp4`, fraction });
      await expectFailure(probeMedia(file), 'media-corrupt', file);
    }
  });

  it('a truncated "fast start" mp4 (index first, so ffmpeg opens it) -> media-corrupt', async () => {
    const whole = await generateVideoWithAudio(dir, { name: 'faststart.mp4', duration: 3, faststart: true });
    expect((await probeMedia(whole)).video).not.toBeNull();
    const file = await truncatedCopy(whole, dir, { name: 'faststart-cut.mp4', fraction: 0.6 });
    const err = await expectFailure(probeMedia(file), 'media-corrupt', file);
    expect(err.message).toContain('cut short');
  });

  it('an empty file -> media-corrupt', async () => {
    const file = await truncatedCopy(MOSI_CLIP, dir, { name: 'empty.mp4', fraction: 0 });
    await expectFailure(probeMedia(file), 'media-corrupt', file);
  });

  it('a codec no decoder knows -> unsupported-codec', async () => {
    const file = await generateUnknownCodecVideo(dir);
    const err = await expectFailure(probeMedia(file), 'unsupported-codec', file);
    expect(err.message).toContain('zzz9');
  });

  it('assertHasAudio / assertHasVideo name the file', async () => {
    const videoOnly = await generateVideoOnly(dir, { name: 'mute.mp4', duration: 1 });
    const wav = await generateAudioWav(dir, { name: 'voice.wav', duration: 1 });
    const videoInfo = await probeMedia(videoOnly);
    const audioInfo = await probeMedia(wav);
    expect(() => assertHasAudio(videoInfo, videoOnly)).toThrowError(
      expect.objectContaining({ code: 'no-audio', message: expect.stringContaining('mute.mp4') }),
    );
    expect(() => assertHasVideo(audioInfo, wav)).toThrowError(
      expect.objectContaining({ code: 'no-video', message: expect.stringContaining('voice.wav') }),
    );
    expect(() => assertHasAudio(audioInfo, wav)).not.toThrow();
    expect(() => assertHasVideo(videoInfo, videoOnly)).not.toThrow();
  });
});

describe('probing without ffprobe (through ffmpeg)', () => {
  it('gives the same numbers for the MOSI clip as ffprobe', async () => {
    const withFfprobe = await probeMedia(MOSI_CLIP);
    expect(resolveMediaTools().ffprobe).not.toBeNull();

    process.env.SENTISCOPE_FFPROBE = 'none';
    resetMediaTools();
    expect(resolveMediaTools().ffprobe).toBeNull();
    const withFfmpeg = await probeMedia(MOSI_CLIP);
    expectMosiNumbers(withFfmpeg);
    expect(withFfmpeg.video).toEqual(withFfprobe.video);
    expect(withFfmpeg.audio).toEqual(withFfprobe.audio);
    expect(withFfmpeg.duration).toBeCloseTo(withFfprobe.duration, 1);
  });

  it('classifies the same failures and still images', async () => {
    process.env.SENTISCOPE_FFPROBE = 'none';
    resetMediaTools();
    const text = await textFileAsMedia(dir, 'notes-ffmpeg.mp4');
    await expectFailure(probeMedia(text), 'not-media', text);
    const truncated = await truncatedCopy(MOSI_CLIP, dir, { name: 'truncated-ffmpeg.mp4', fraction: 0.5 });
    await expectFailure(probeMedia(truncated), 'media-corrupt', truncated);
    const unknown = await generateUnknownCodecVideo(dir, 'unknown-ffmpeg.mp4');
    await expectFailure(probeMedia(unknown), 'unsupported-codec', unknown);
    const png = await probeMedia(await generatePngImage(dir, { name: 'still-ffmpeg.png' }));
    expect(png).toMatchObject({ duration: 0, audio: null, video: { width: 320, height: 240 } });
    const file = await copyAs(MOSI_CLIP, dir, '情感 ffmpeg é.mp4');
    expectMosiNumbers(await probeMedia(file));
  });
});

describe('media tool resolution', () => {
  it('reports path, version and source of the tools it uses', () => {
    const tools = resolveMediaTools();
    expect(existsSync(tools.ffmpeg.path)).toBe(true);
    expect(tools.ffmpeg.version).toMatch(/\S/);
    expect(tools.ffmpeg.source).toMatch(/\S/);
  });

  it('SENTISCOPE_FFMPEG / SENTISCOPE_FFPROBE override, and report their source', async () => {
    const other = findMediaTools({ env: { PATH: process.env.PATH }, usePackages: false });
    process.env.SENTISCOPE_FFMPEG = other.ffmpeg.path;
    process.env.SENTISCOPE_FFPROBE = other.ffprobe?.path ?? 'none';
    resetMediaTools();
    const tools = resolveMediaTools();
    expect(tools.ffmpeg).toEqual({ path: other.ffmpeg.path, version: other.ffmpeg.version, source: 'env SENTISCOPE_FFMPEG' });
    if (other.ffprobe) expect(tools.ffprobe?.source).toBe('env SENTISCOPE_FFPROBE');
    expectMosiNumbers(await probeMedia(MOSI_CLIP));
  });

  it('an override pointing to a missing file is an error naming the variable and the path', () => {
    const missing = join(dir, 'no-such-ffmpeg');
    expect(() => findMediaTools({ env: { SENTISCOPE_FFMPEG: missing }, usePackages: true })).toThrowError(
      expect.objectContaining({ code: 'tool-missing', message: expect.stringMatching(/SENTISCOPE_FFMPEG.*no-such-ffmpeg/) }),
    );
    expect(() => findMediaTools({ env: { SENTISCOPE_FFPROBE: missing }, usePackages: true })).toThrowError(
      expect.objectContaining({ code: 'tool-missing', message: expect.stringMatching(/SENTISCOPE_FFPROBE.*no-such-ffmpeg/) }),
    );
  });

  it('no ffmpeg anywhere -> tool-missing saying how to install; no ffprobe -> null', async () => {
    const emptyDir = join(dir, 'empty-path');
    await mkdir(emptyDir, { recursive: true });
    expect(() => findMediaTools({ env: { PATH: emptyDir }, usePackages: false })).toThrowError(
      expect.objectContaining({ code: 'tool-missing', message: expect.stringMatching(/install/) }),
    );
    const onlyFfmpeg = findMediaTools({ env: { PATH: emptyDir, SENTISCOPE_FFMPEG: resolveMediaTools().ffmpeg.path }, usePackages: false });
    expect(onlyFfmpeg.ffprobe).toBeNull();
  });
});
