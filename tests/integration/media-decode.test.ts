// Streaming decode with the real ffmpeg: 16 kHz mono samples, ranges, early stop, cached
// waveform peaks, sampled frames, byte-range responses, and bounded memory on a long file.

import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANALYSIS_SAMPLE_RATE,
  decodeAudio,
  decodeAudioToArray,
  decoderThreads,
  fileIdentity,
  fitFrameSize,
  getWaveformPeaks,
  openMediaResponse,
  parseRangeHeader,
  peaksCacheName,
  probeMedia,
  resolveMediaTools,
  sampleFrames,
} from '../../src/core/media';
import {
  MOSI_CLIP,
  copyAs,
  generateAudioWav,
  generateLongAudio,
  generatePngImage,
  generateVideoOnly,
  generateVideoWithSilentAudio,
  makeTempDir,
  removeTempDir,
} from '../helpers/generate-media';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

function maxAbs(samples: Float32Array): number {
  let m = 0;
  for (const v of samples) m = Math.max(m, Math.abs(v));
  return m;
}

/** ffmpeg processes started by this test process (Linux / macOS `ps`). */
function childFfmpegCount(): number {
  const out = execFileSync('ps', ['-A', '-o', 'ppid=,args='], { encoding: 'utf8' });
  const ffmpeg = resolveMediaTools().ffmpeg.path;
  return out.split('\n').filter((l) => l.trim().startsWith(`${process.pid} `) && l.includes(ffmpeg)).length;
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe('decodeAudio', () => {
  it('decodes the MOSI clip to about duration * 16000 mono samples, in chunks', async () => {
    // The container says 7.5 s; its AAC track ends at 7.44 s.
    const { duration } = await probeMedia(MOSI_CLIP);
    let total = 0;
    let chunks = 0;
    for await (const chunk of decodeAudio(MOSI_CLIP, { chunkSamples: 4000 })) {
      expect(chunk).toBeInstanceOf(Float32Array);
      expect(chunk.length).toBeLessThanOrEqual(4000);
      total += chunk.length;
      chunks++;
    }
    expect(Math.abs(total - duration * ANALYSIS_SAMPLE_RATE)).toBeLessThan(0.1 * ANALYSIS_SAMPLE_RATE);
    expect(chunks).toBe(Math.ceil(total / 4000));
  });

  it('gives the signal that was encoded: a 440 Hz sine at amplitude 1/8', async () => {
    const wav = await generateAudioWav(dir, { name: 'sine.wav', duration: 2, sampleRate: 44100, channels: 2 });
    const samples = await decodeAudioToArray(wav);
    expect(samples.length).toBe(2 * ANALYSIS_SAMPLE_RATE);
    expect(maxAbs(samples)).toBeCloseTo(0.125, 2);
    let crossings = 0;
    for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
    expect(crossings / 2 / 2).toBeCloseTo(440, -1); // two crossings per period, 2 s
  });

  it('decodes a start/end range', async () => {
    const samples = await decodeAudioToArray(MOSI_CLIP, { start: 2, end: 4.5 });
    expect(Math.abs(samples.length - 2.5 * ANALYSIS_SAMPLE_RATE)).toBeLessThan(0.01 * ANALYSIS_SAMPLE_RATE);
    const whole = await decodeAudioToArray(MOSI_CLIP);
    // The range is that part of the whole decode, to within a millisecond (input seeking
    // restarts the AAC decoder and resampler, so samples match closely, not bit for bit).
    const offset = 2 * ANALYSIS_SAMPLE_RATE;
    let best = { lag: 0, error: Infinity };
    for (let lag = -160; lag <= 160; lag++) {
      let error = 0;
      for (let i = 1000; i < 9000; i++) error += Math.abs(samples[i] - whole[offset + lag + i]);
      if (error < best.error) best = { lag, error };
    }
    let level = 0;
    for (let i = 1000; i < 9000; i++) level += Math.abs(whole[offset + i]);
    expect(Math.abs(best.lag)).toBeLessThanOrEqual(16);
    expect(best.error).toBeLessThan(0.2 * level);
    const tail = await decodeAudioToArray(MOSI_CLIP, { start: 7 });
    expect(Math.abs(tail.length - (whole.length - 7 * ANALYSIS_SAMPLE_RATE))).toBeLessThan(0.01 * ANALYSIS_SAMPLE_RATE);
  });

  it('stops and kills ffmpeg when the consumer breaks early', async () => {
    const long = await generateLongAudio(dir, 300, 'five-minutes.m4a');
    const before = childFfmpegCount();
    let seen = 0;
    for await (const chunk of decodeAudio(long, { chunkSamples: 1600 })) {
      seen += chunk.length;
      if (seen >= 16000) {
        // ffmpeg is still running here (blocked on the pipe): 5 minutes are not decoded yet.
        expect(childFfmpegCount()).toBe(before + 1);
        break;
      }
    }
    expect(seen).toBe(16000);
    expect(childFfmpegCount()).toBe(before);
  });

  it('works with a non-ASCII file name', async () => {
    const file = await copyAs(MOSI_CLIP, dir, '情感 clip é.mp4');
    const samples = await decodeAudioToArray(file, { start: 1, end: 2 });
    expect(Math.abs(samples.length - ANALYSIS_SAMPLE_RATE)).toBeLessThan(200);
  });

  it('a file without audio -> no-audio naming the file', async () => {
    const mute = await generateVideoOnly(dir, { name: 'mute video.mp4', duration: 1 });
    await expect(decodeAudioToArray(mute)).rejects.toMatchObject({ code: 'no-audio', message: expect.stringContaining('mute video.mp4') });
  });
});

describe('getWaveformPeaks', () => {
  it('computes peaks in [0, 1] at the requested rate and caches them on disk by file identity', async () => {
    const cacheDir = join(dir, 'peaks-cache');
    const first = await getWaveformPeaks(MOSI_CLIP, { cacheDir, peaksPerSecond: 50 });
    expect(first.peaksPerSecond).toBe(50);
    expect(first.duration).toBeCloseTo(7.5, 1);
    expect(Math.abs(first.peaks.length - 7.5 * 50)).toBeLessThanOrEqual(3);
    expect(first.peaks.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(Math.max(...first.peaks)).toBeGreaterThan(0.05); // someone is speaking

    const cacheFile = join(cacheDir, peaksCacheName(await fileIdentity(MOSI_CLIP), 50));
    expect(await readdir(cacheDir)).toEqual([peaksCacheName(await fileIdentity(MOSI_CLIP), 50)]);
    expect((await getWaveformPeaks(MOSI_CLIP, { cacheDir, peaksPerSecond: 50 })).peaks).toEqual(first.peaks);

    // Prove the second call reads the file: tamper with it and see the tampered value come back.
    const bytes = await readFile(cacheFile);
    bytes.writeFloatLE(0.5, bytes.length - 4);
    await writeFile(cacheFile, bytes);
    const cached = await getWaveformPeaks(await copyAs(MOSI_CLIP, dir, 'renamed copy.mp4'), { cacheDir, peaksPerSecond: 50 });
    expect(cached.peaks.at(-1)).toBe(0.5);
    expect(cached.peaks.slice(0, -1)).toEqual(first.peaks.slice(0, -1));
  });

  it('another file, another rate or a changed file gets its own cache entry', async () => {
    const cacheDir = join(dir, 'peaks-cache-2');
    const wav = await generateAudioWav(dir, { name: 'changing.wav', duration: 1 });
    const sine = await getWaveformPeaks(wav, { cacheDir, peaksPerSecond: 20 });
    expect(sine.peaks.length).toBe(20);
    expect(Math.min(...sine.peaks)).toBeCloseTo(0.125, 2);

    await getWaveformPeaks(MOSI_CLIP, { cacheDir, peaksPerSecond: 20 });
    await getWaveformPeaks(MOSI_CLIP, { cacheDir, peaksPerSecond: 10 });
    expect(await readdir(cacheDir)).toHaveLength(3);

    // Same path, new content (silence, 2 s): a new identity, so not the stale sine peaks.
    const idBefore = await fileIdentity(wav);
    const silent = await generateVideoWithSilentAudio(dir, { duration: 2 });
    await writeFile(wav, await readFile(silent));
    expect(await fileIdentity(wav)).not.toBe(idBefore);
    const changed = await getWaveformPeaks(wav, { cacheDir, peaksPerSecond: 20 });
    expect(changed.peaks.length).toBeGreaterThanOrEqual(39);
    expect(Math.max(...changed.peaks)).toBe(0);
    expect(await readdir(cacheDir)).toHaveLength(4);
  });

  it('file identity is stable across copies and fast reads', async () => {
    const copy = await copyAs(MOSI_CLIP, dir, 'identity-copy.mp4');
    expect(await fileIdentity(copy)).toBe(await fileIdentity(MOSI_CLIP));
    expect(await fileIdentity(MOSI_CLIP)).toMatch(/^364497-[0-9a-f]{20}$/);
  });
});

describe('a 20-minute file streams in bounded memory', () => {
  it('decodes via the stream without collecting samples, and computes its peaks', async () => {
    const long = await generateLongAudio(dir, 20 * 60);
    const before = childFfmpegCount();
    let total = 0;
    let paused = false;
    for await (const chunk of decodeAudio(long)) {
      total += chunk.length;
      if (!paused) {
        // A slow consumer: nothing reads ahead, so ffmpeg waits on the pipe (it decodes all
        // 20 minutes in well under a second when nobody holds it back) and memory stays flat.
        paused = true;
        const memoryBefore = process.memoryUsage().arrayBuffers;
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect(childFfmpegCount()).toBe(before + 1);
        expect(process.memoryUsage().arrayBuffers - memoryBefore).toBeLessThan(4 * 1024 * 1024);
      }
    }
    expect(Math.abs(total - 1200 * ANALYSIS_SAMPLE_RATE)).toBeLessThan(ANALYSIS_SAMPLE_RATE);
    expect(childFfmpegCount()).toBe(before);

    const peaks = await getWaveformPeaks(long, { cacheDir: join(dir, 'long-cache'), peaksPerSecond: 50 });
    expect(Math.abs(peaks.peaks.length - 1200 * 50)).toBeLessThanOrEqual(50);
    expect(peaks.duration).toBeCloseTo(1200, 0);
  });
});

describe('sampleFrames', () => {
  it('samples the MOSI clip at 5 fps, scaled to fit 320 px, as RGB', async () => {
    let count = 0;
    let lastTime = -1;
    for await (const frame of sampleFrames(MOSI_CLIP, { fps: 5, maxSize: 320 })) {
      expect(frame).toMatchObject({ width: 320, height: 240 });
      expect(frame.rgb.length).toBe(320 * 240 * 3);
      expect(frame.time).toBeGreaterThan(lastTime);
      lastTime = frame.time;
      if (count === 10) expect(frame.rgb.some((v) => v > 30)).toBe(true); // a picture, not black
      count++;
    }
    expect(Math.abs(count - 7.5 * 5)).toBeLessThanOrEqual(2);
  });

  it('decodes on its own decoder threads (half the cores) the same pixels as ffmpeg by default', async () => {
    expect([1, 2, 3, 8].map((cores) => decoderThreads(cores))).toEqual([1, 1, 1, 4]);
    const sampled = [];
    for await (const f of sampleFrames(MOSI_CLIP, { fps: 5, maxSize: 320 })) sampled.push(f.rgb);
    // ffmpeg's own threading (one per core), the same filters as sampleFrames.
    const plain = execFileSync(
      resolveMediaTools().ffmpeg.path,
      [
        '-v',
        'error',
        '-i',
        MOSI_CLIP,
        '-map',
        '0:v:0',
        '-an',
        '-vf',
        'fps=5,scale=320:240:flags=area,setsar=1',
        '-pix_fmt',
        'rgb24',
        '-f',
        'rawvideo',
        'pipe:1',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    expect(sampled.length * 320 * 240 * 3).toBe(plain.length);
    expect(Buffer.concat(sampled).equals(plain)).toBe(true);
  });

  it('samples a range, never scales up, and keeps the aspect ratio', async () => {
    const frames = [];
    for await (const f of sampleFrames(MOSI_CLIP, { fps: 2, maxSize: 1000, start: 3, end: 5 })) frames.push(f);
    expect(Math.abs(frames.length - 4)).toBeLessThanOrEqual(1);
    expect(frames[0]).toMatchObject({ width: 480, height: 360, time: 3 });

    const tall = await generateVideoOnly(dir, { name: 'tall.mp4', width: 240, height: 426, duration: 1, fps: 10 });
    const first = (await sampleFrames(tall, { fps: 10, maxSize: 100 }).next()).value;
    expect(first).toMatchObject({ width: 56, height: 100 });
    expect(fitFrameSize(1920, 1080, 320)).toEqual({ width: 320, height: 180 });
    expect(fitFrameSize(481, 361, 1000)).toEqual({ width: 480, height: 360 });
  });

  it('returns the one frame of a still image, and stops ffmpeg on break', async () => {
    const png = await generatePngImage(dir, { name: 'still image.png', width: 640, height: 480 });
    const frames = [];
    for await (const f of sampleFrames(png, { fps: 5, maxSize: 320 })) frames.push(f);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ time: 0, width: 320, height: 240 });

    const before = childFfmpegCount();
    for await (const f of sampleFrames(MOSI_CLIP, { fps: 30, maxSize: 64 })) {
      expect(f.width).toBe(64);
      break;
    }
    expect(childFfmpegCount()).toBe(before);
  });

  it('an audio-only file -> no-video naming the file', async () => {
    const wav = await generateAudioWav(dir, { name: 'voice only.wav', duration: 1 });
    await expect(sampleFrames(wav).next()).rejects.toMatchObject({ code: 'no-video', message: expect.stringContaining('voice only.wav') });
  });
});

describe('byte ranges for the player', () => {
  it('parses Range headers', () => {
    expect(parseRangeHeader(undefined, 100)).toBeNull();
    expect(parseRangeHeader('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRangeHeader('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRangeHeader('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRangeHeader('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRangeHeader('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=5-2', 100)).toBeNull();
    expect(parseRangeHeader('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRangeHeader('items=0-1', 100)).toBeNull();
  });

  it('answers 200, 206 with exact bytes, suffix ranges and 416 on the real clip', async () => {
    const whole = await readFile(MOSI_CLIP);
    const size = whole.length;

    const full = openMediaResponse(MOSI_CLIP, undefined);
    expect(full.status).toBe(200);
    expect(full.headers).toMatchObject({ 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Length': String(size) });
    expect((await streamToBuffer(full.body!)).equals(whole)).toBe(true);

    const part = openMediaResponse(MOSI_CLIP, 'bytes=1000-1999');
    expect(part.status).toBe(206);
    expect(part.headers['Content-Range']).toBe(`bytes 1000-1999/${size}`);
    expect(part.headers['Content-Length']).toBe('1000');
    expect((await streamToBuffer(part.body!)).equals(whole.subarray(1000, 2000))).toBe(true);

    const open = openMediaResponse(MOSI_CLIP, 'bytes=300000-');
    expect(open.headers['Content-Range']).toBe(`bytes 300000-${size - 1}/${size}`);
    expect((await streamToBuffer(open.body!)).equals(whole.subarray(300000))).toBe(true);

    const suffix = openMediaResponse(MOSI_CLIP, 'bytes=-500');
    expect(suffix.status).toBe(206);
    expect(suffix.headers['Content-Range']).toBe(`bytes ${size - 500}-${size - 1}/${size}`);
    expect((await streamToBuffer(suffix.body!)).equals(whole.subarray(size - 500))).toBe(true);

    const beyond = openMediaResponse(MOSI_CLIP, `bytes=${size}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['Content-Range']).toBe(`bytes */${size}`);
    expect(beyond.body).toBeNull();
  });

  it('serves non-ASCII paths and names a missing file', async () => {
    const file = await copyAs(MOSI_CLIP, dir, '情感 range é.mp4');
    const res = openMediaResponse(file, 'bytes=0-7');
    expect(res.status).toBe(206);
    expect((await streamToBuffer(res.body!)).toString('latin1', 4, 8)).toBe('ftyp');
    expect(() => openMediaResponse(join(dir, 'gone.mp4'), 'bytes=0-1')).toThrowError(
      expect.objectContaining({ code: 'file-missing', message: expect.stringContaining('gone.mp4') }),
    );
  });
});
