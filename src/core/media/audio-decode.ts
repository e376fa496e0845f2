// Audio as the analysis pipeline wants it: 16 kHz mono float32, streamed from ffmpeg in
// chunks (see [Note: streamed decoding]) so a 2-hour file is never held whole.

import { toolFailureError } from './media-errors';
import { resolveMediaTools } from './media-tools';
import { assertHasAudio, probeMediaDetailed } from './probe';
import { streamToolRecords } from './tool-process';

export const ANALYSIS_SAMPLE_RATE = 16_000;

export interface DecodeAudioOptions {
  /** Seconds from the start of the file. */
  start?: number;
  /** Seconds from the start of the file (exclusive); default: the end of the file. */
  end?: number;
  /** Samples per yielded chunk (the last one may be shorter); default 1 s. */
  chunkSamples?: number;
}

/**
 * Decode a file's first audio stream to 16 kHz mono Float32 chunks.
 * Breaking out of the loop stops and kills ffmpeg.
 */
export async function* decodeAudio(path: string, options: DecodeAudioOptions = {}): AsyncGenerator<Float32Array, void, undefined> {
  const { start = 0, end, chunkSamples = ANALYSIS_SAMPLE_RATE } = options;
  if (!(start >= 0) || (end !== undefined && !(end >= start)) || !(chunkSamples >= 1)) {
    throw new RangeError(`decodeAudio: bad range or chunk size (start ${start}, end ${end}, chunkSamples ${chunkSamples})`);
  }
  const probe = await probeMediaDetailed(path);
  assertHasAudio(probe.info, probe.path);
  if (end !== undefined && end === start) return;

  const args = ['-hide_banner', '-nostdin', '-v', 'error'];
  // Input seeking: fast, and sample-accurate because the audio is decoded (not copied).
  if (start > 0) args.push('-ss', String(start));
  args.push('-i', probe.path);
  if (end !== undefined) args.push('-t', String(end - start));
  args.push(
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    '1',
    '-ar',
    String(ANALYSIS_SAMPLE_RATE),
    // f32le read into a Float32Array: every platform Sentiscope ships on is little-endian.
    '-f',
    'f32le',
    '-acodec',
    'pcm_f32le',
    'pipe:1',
  );
  const records = streamToolRecords(resolveMediaTools().ffmpeg.path, args, {
    recordBytes: Math.floor(chunkSamples) * 4,
    keepPartial: true,
    onFailure: (stderr) => toolFailureError(probe.path, stderr, 'decoded'),
  });
  for await (const bytes of records) {
    const samples = Math.floor(bytes.byteLength / 4);
    if (samples > 0) yield new Float32Array(bytes.buffer, bytes.byteOffset, samples);
  }
}

/**
 * Decode a short range into one array. Holds every sample: for whole long files, iterate
 * decodeAudio instead.
 */
export async function decodeAudioToArray(path: string, options: Omit<DecodeAudioOptions, 'chunkSamples'> = {}): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  let total = 0;
  for await (const chunk of decodeAudio(path, { ...options, chunkSamples: ANALYSIS_SAMPLE_RATE * 10 })) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const samples = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return samples;
}
