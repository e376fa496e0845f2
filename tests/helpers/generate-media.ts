// Media fixtures generated with the ffmpeg Sentiscope resolves (lavfi testsrc + sine),
// written into a temp dir; plus the paths of the real MOSI media in ../shared/data.

import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveMediaTools } from '../../src/core/media/media-tools';

const run = promisify(execFile);

const sharedData = (relative: string) => fileURLToPath(new URL(`../../../shared/data/${relative}`, import.meta.url));

/** 7.5 s, 480x360 30 fps H.264 + AAC 44.1 kHz stereo. */
export const MOSI_CLIP = sharedData('mosi/media/Oz06ZWiO20M_6.mp4');
/** A MOSI segment as WAV. */
export const MOSI_WAV = sharedData('mosi/media/03bSnISJMiM_1.wav');

export async function makeTempDir(prefix = 'sentiscope-media-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

async function ffmpeg(args: string[]): Promise<void> {
  await run(resolveMediaTools().ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface VideoFixtureOptions {
  name?: string;
  /** Seconds. */
  duration?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Put the MP4 index (moov) before the media data, as streaming encoders do. */
  faststart?: boolean;
}

const videoInput = (o: { duration: number; width: number; height: number; fps: number }) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc=size=${o.width}x${o.height}:rate=${o.fps}:duration=${o.duration}`,
];
const sineInput = (duration: number, sampleRate = 44100) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:sample_rate=${sampleRate}:duration=${duration}`,
];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

function videoDefaults(o: VideoFixtureOptions) {
  return { duration: o.duration ?? 2, width: o.width ?? 320, height: o.height ?? 240, fps: o.fps ?? 25 };
}

/** H.264 test pattern + 440 Hz AAC stereo (sine amplitude 1/8). */
export async function generateVideoWithAudio(dir: string, options: VideoFixtureOptions = {}): Promise<string> {
  const o = videoDefaults(options);
  const out = join(dir, options.name ?? 'video-audio.mp4');
  const flags = options.faststart ? ['-movflags', '+faststart'] : [];
  await ffmpeg([...videoInput(o), ...sineInput(o.duration), ...h264, '-c:a', 'aac', '-ac', '2', '-shortest', ...flags, out]);
  return out;
}

/** Video with no audio stream at all. */
export async function generateVideoOnly(dir: string, options: VideoFixtureOptions = {}): Promise<string> {
  const o = videoDefaults(options);
  const out = join(dir, options.name ?? 'video-only.mp4');
  await ffmpeg([...videoInput(o), ...h264, out]);
  return out;
}

/** Video with an audio stream that is all silence. */
export async function generateVideoWithSilentAudio(dir: string, options: VideoFixtureOptions = {}): Promise<string> {
  const o = videoDefaults(options);
  const out = join(dir, options.name ?? 'video-silent-audio.mp4');
  await ffmpeg([
    ...videoInput(o),
    '-f',
    'lavfi',
    '-i',
    `anullsrc=channel_layout=stereo:sample_rate=44100`,
    ...h264,
    '-c:a',
    'aac',
    '-t',
    String(o.duration),
    out,
  ]);
  return out;
}

export interface AudioFixtureOptions {
  name?: string;
  duration?: number;
  sampleRate?: number;
  channels?: number;
}

/** 440 Hz sine as 16-bit PCM WAV. */
export async function generateAudioWav(dir: string, options: AudioFixtureOptions = {}): Promise<string> {
  const out = join(dir, options.name ?? 'audio.wav');
  const rate = options.sampleRate ?? 44100;
  await ffmpeg([...sineInput(options.duration ?? 2, rate), '-ac', String(options.channels ?? 2), '-c:a', 'pcm_s16le', out]);
  return out;
}

/** 440 Hz sine as AAC in an .m4a. */
export async function generateAudioM4a(dir: string, options: AudioFixtureOptions = {}): Promise<string> {
  const out = join(dir, options.name ?? 'audio.m4a');
  const rate = options.sampleRate ?? 44100;
  await ffmpeg([...sineInput(options.duration ?? 2, rate), '-ac', String(options.channels ?? 2), '-c:a', 'aac', out]);
  return out;
}

/** A long but tiny audio-only file (8 kHz mono, low-bitrate AAC): 20 min is about 1.3 MB. */
export async function generateLongAudio(dir: string, durationSeconds: number, name = 'long-audio.m4a'): Promise<string> {
  const out = join(dir, name);
  await ffmpeg([...sineInput(durationSeconds, 8000), '-ac', '1', '-ar', '8000', '-c:a', 'aac', '-b:a', '8k', out]);
  return out;
}

/** The test pattern's frame at `at` seconds, as a PNG still image. */
export async function generatePngImage(
  dir: string,
  options: { name?: string; at?: number; width?: number; height?: number } = {},
): Promise<string> {
  const out = join(dir, options.name ?? 'image.png');
  const size = `${options.width ?? 320}x${options.height ?? 240}`;
  await ffmpeg(['-ss', String(options.at ?? 2), '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-frames:v', '1', out]);
  return out;
}

/** The first `fraction` of a file's bytes, as a download cut short would leave it. */
export async function truncatedCopy(source: string, dir: string, options: { name?: string; fraction?: number } = {}): Promise<string> {
  const out = join(dir, options.name ?? 'truncated.mp4');
  const handle = await open(source, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(Math.floor(size * (options.fraction ?? 0.5)));
    await handle.read(bytes, 0, bytes.length, 0);
    await writeFile(out, bytes);
  } finally {
    await handle.close();
  }
  return out;
}

/** A plain text file with a media extension. */
export async function textFileAsMedia(dir: string, name = 'notes.mp4'): Promise<string> {
  const out = join(dir, name);
  await writeFile(out, 'These are meeting notes, not a video.\nSecond line.\n');
  return out;
}

/** A copy of a file under another name (e.g. non-ASCII) in `dir`. */
export async function copyAs(source: string, dir: string, name: string): Promise<string> {
  const out = join(dir, name);
  await copyFile(source, out);
  return out;
}

/** A file that is an MP4 whose video codec tag was overwritten with one no decoder knows. */
export async function generateUnknownCodecVideo(dir: string, name = 'unknown-codec.mp4'): Promise<string> {
  const source = await generateVideoWithAudio(dir, { name: `source-of-${name}`, duration: 1 });
  const bytes = await readFile(source);
  // 'avc1' appears as the sample-entry type (and as a compatible brand; harmless to change).
  const patched = Buffer.from(bytes.toString('latin1').replaceAll('avc1', 'zzz9'), 'latin1');
  const out = join(dir, name);
  await writeFile(out, patched);
  return out;
}
