// Waveform peaks for the player (wavesurfer draws them; the renderer never decodes audio).
// Computed in one streaming pass over decodeAudio and cached on disk by file identity, so
// reopening a file, or the same file under another name, costs one small read.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WaveformPeaks } from '../../shared/contract';
import { ANALYSIS_SAMPLE_RATE, decodeAudio } from './audio-decode';
import { fileIdentity } from './file-identity';
import { assertHasAudio, probeMediaDetailed } from './probe';

export interface WaveformPeaksOptions {
  cacheDir: string;
  peaksPerSecond?: number;
}

// Bump when the peak computation changes, so old cache files are not reused.
const CACHE_VERSION = 1;
const MAGIC = 'SPK1';
const HEADER_BYTES = 20; // magic(4) peaksPerSecond(u32) duration(f64) count(u32)

const inFlight = new Map<string, Promise<WaveformPeaks>>();

export async function getWaveformPeaks(path: string, options: WaveformPeaksOptions): Promise<WaveformPeaks> {
  const peaksPerSecond = options.peaksPerSecond ?? 50;
  if (!Number.isInteger(peaksPerSecond) || peaksPerSecond < 1 || peaksPerSecond > ANALYSIS_SAMPLE_RATE) {
    throw new RangeError(`peaksPerSecond must be an integer from 1 to ${ANALYSIS_SAMPLE_RATE}, got ${peaksPerSecond}`);
  }
  const cacheFile = join(options.cacheDir, peaksCacheName(await fileIdentity(path), peaksPerSecond));
  let pending = inFlight.get(cacheFile);
  if (!pending) {
    pending = loadOrCompute(path, cacheFile, options.cacheDir, peaksPerSecond).finally(() => inFlight.delete(cacheFile));
    inFlight.set(cacheFile, pending);
  }
  return pending;
}

/** The cache file's name for a file identity (see file-identity.ts) and a peak rate. */
export function peaksCacheName(identity: string, peaksPerSecond: number): string {
  return `peaks-v${CACHE_VERSION}-${identity}-${peaksPerSecond}.bin`;
}

async function loadOrCompute(path: string, cacheFile: string, cacheDir: string, peaksPerSecond: number): Promise<WaveformPeaks> {
  const cached = await readPeaksFile(cacheFile, peaksPerSecond);
  if (cached) return cached;
  const peaks = await computeWaveformPeaks(path, peaksPerSecond);
  await mkdir(cacheDir, { recursive: true });
  await writePeaksFile(cacheFile, peaks);
  return peaks;
}

/** One pass over the decoded audio: max |sample| per bucket of 16000 / peaksPerSecond samples. */
export async function computeWaveformPeaks(path: string, peaksPerSecond: number): Promise<WaveformPeaks> {
  const probe = await probeMediaDetailed(path);
  assertHasAudio(probe.info, probe.path);
  let peaks = new Float32Array(Math.ceil(probe.info.duration * peaksPerSecond) + peaksPerSecond);
  let count = 0;
  let sampleIndex = 0;
  let bucket = 0;
  let bucketEnd = bucketBoundary(1, peaksPerSecond);
  let max = 0;
  const flush = () => {
    if (count === peaks.length) {
      const grown = new Float32Array(peaks.length * 2);
      grown.set(peaks);
      peaks = grown;
    }
    peaks[count++] = Math.min(1, max);
    max = 0;
  };
  for await (const chunk of decodeAudio(probe.path)) {
    for (let i = 0; i < chunk.length; i++) {
      if (sampleIndex === bucketEnd) {
        flush();
        bucket++;
        bucketEnd = bucketBoundary(bucket + 1, peaksPerSecond);
      }
      const v = Math.abs(chunk[i]);
      if (v > max) max = v;
      sampleIndex++;
    }
  }
  if (sampleIndex > 0) flush();
  const decodedSeconds = sampleIndex / ANALYSIS_SAMPLE_RATE;
  return {
    // The container's duration keeps waveform and <video> on one clock.
    duration: probe.info.duration > 0 ? probe.info.duration : decodedSeconds,
    peaksPerSecond,
    // Values go through Float32 like the cache file, so fresh and cached results are identical.
    peaks: Array.from(peaks.subarray(0, count)),
  };
}

function bucketBoundary(bucket: number, peaksPerSecond: number): number {
  return Math.ceil((bucket * ANALYSIS_SAMPLE_RATE) / peaksPerSecond);
}

async function readPeaksFile(file: string, peaksPerSecond: number): Promise<WaveformPeaks | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return null;
  }
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 4) !== MAGIC) return null;
  const count = bytes.readUInt32LE(16);
  if (bytes.readUInt32LE(4) !== peaksPerSecond || bytes.length !== HEADER_BYTES + count * 4) return null;
  const peaks = new Array<number>(count);
  for (let i = 0; i < count; i++) peaks[i] = bytes.readFloatLE(HEADER_BYTES + i * 4);
  return { duration: bytes.readDoubleLE(8), peaksPerSecond, peaks };
}

/** Written to a temporary name and renamed, so a reader never sees half a file. */
async function writePeaksFile(file: string, peaks: WaveformPeaks): Promise<void> {
  const bytes = Buffer.alloc(HEADER_BYTES + peaks.peaks.length * 4);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(peaks.peaksPerSecond, 4);
  bytes.writeDoubleLE(peaks.duration, 8);
  bytes.writeUInt32LE(peaks.peaks.length, 16);
  peaks.peaks.forEach((v, i) => bytes.writeFloatLE(v, HEADER_BYTES + i * 4));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
