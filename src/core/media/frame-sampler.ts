// Video frames for the visual pipeline: N frames per second, scaled down to fit a maximum
// size (aspect ratio kept, even dimensions), as raw RGB, streamed one frame at a time
// (see [Note: streamed decoding]). A still image gives its one frame.

import { availableParallelism } from 'node:os';
import { toolFailureError } from './media-errors';
import { resolveMediaTools } from './media-tools';
import { assertHasVideo, probeMediaDetailed } from './probe';
import { streamToolRecords } from './tool-process';

export interface SampleFramesOptions {
  fps?: number;
  /** Longest side of the output frames, in pixels; frames are never scaled up. */
  maxSize?: number;
  /** Seconds from the start of the file. */
  start?: number;
  /** Seconds from the start of the file (exclusive). */
  end?: number;
}

export interface VideoFrame {
  /** Seconds from the start of the file. */
  time: number;
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major RGB. */
  rgb: Uint8Array;
}

export async function* sampleFrames(path: string, options: SampleFramesOptions = {}): AsyncGenerator<VideoFrame, void, undefined> {
  const { fps = 5, maxSize = 320, start = 0, end } = options;
  if (!(fps > 0) || !(maxSize >= 2) || !(start >= 0) || (end !== undefined && !(end >= start))) {
    throw new RangeError(`sampleFrames: bad options (fps ${fps}, maxSize ${maxSize}, start ${start}, end ${end})`);
  }
  const probe = await probeMediaDetailed(path);
  assertHasVideo(probe.info, probe.path);
  const { width, height } = fitFrameSize(probe.displayWidth, probe.displayHeight, maxSize);

  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-threads', String(decoderThreads())];
  if (probe.still) {
    args.push('-i', probe.path, '-frames:v', '1');
  } else {
    if (end !== undefined && end === start) return;
    if (start > 0) args.push('-ss', String(start));
    args.push('-i', probe.path);
    if (end !== undefined) args.push('-t', String(end - start));
  }
  // setsar=1: the scaled frame has square pixels (display aspect was applied in the math).
  const filters = [...(probe.still ? [] : [`fps=${fps}`]), `scale=${width}:${height}:flags=area`, 'setsar=1'];
  args.push('-map', '0:v:0', '-an', '-sn', '-dn', '-vf', filters.join(','), '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1');

  const records = streamToolRecords(resolveMediaTools().ffmpeg.path, args, {
    recordBytes: width * height * 3,
    keepPartial: false,
    onFailure: (stderr) => toolFailureError(probe.path, stderr, 'decoded'),
  });
  let index = 0;
  for await (const rgb of records) {
    yield { time: probe.still ? 0 : start + index / fps, width, height, rgb };
    index++;
  }
}

/**
 * Decoder threads for frame sampling: half the cores. The face nets and the audio pass run
 * beside the decoder, so ffmpeg's default (one thread per core, and more) only makes them
 * take turns; on 2 cores one decoder thread decodes the bench's 10 minutes in 6.2 s of CPU
 * where the default takes 9.9 s (user + sys), in about the same wall time.
 */
export function decoderThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
}

/** Scale (w, h) to fit maxSize on its longest side, never up, both sides even and >= 2. */
export function fitFrameSize(width: number, height: number, maxSize: number): { width: number; height: number } {
  const scale = Math.min(1, maxSize / Math.max(width, height));
  const even = (x: number) => Math.max(2, 2 * Math.floor(x / 2));
  return { width: even(Math.round(width * scale)), height: even(Math.round(height * scale)) };
}
