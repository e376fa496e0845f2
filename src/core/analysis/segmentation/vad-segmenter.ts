// VAD segmentation of a media file: decode 16 kHz chunks from ffmpeg, score 32 ms windows
// with Silero as they arrive, then cut utterance segments. Only the probabilities (one
// float per 32 ms) are held, so a 2-hour file costs about 1 MB.

import { decodeAudio } from '../../media';
import { SileroVadModel } from './silero-model';
import { type SpeechProbabilities, SpeechProbabilityStream } from './speech-probabilities';
import { speechRegions, type TimeSpan } from './speech-regions';
import { utteranceSegments, type VadSegment } from './utterances';
import { resolveVadOptions, VAD_SAMPLE_RATE, type VadOptions, type VadRecipe, vadRecipe } from './vad-recipe';

export interface VadRunOptions extends Partial<VadOptions> {
  /** Seconds from the start of the file; segment times stay file-relative. */
  start?: number;
  /** Seconds (exclusive); default: the end of the file. */
  end?: number;
  /** Samples per decoded chunk (default: decodeAudio's, 1 s). */
  chunkSamples?: number;
  /** onnxruntime intra-op threads (default 1). */
  intraOpNumThreads?: number;
  /** An .onnx path overriding the bundled weights. */
  modelPath?: string;
  /** Stops decoding (ffmpeg is killed) and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Seconds of audio scanned so far, after each decoded chunk. */
  onProgress?: (scannedSeconds: number) => void;
}

export interface VadResult {
  segments: VadSegment[];
  /** Padded speech regions before joining into utterances. */
  regions: TimeSpan[];
  /** Speech probability per 32 ms window from `start`. */
  probabilities: Float32Array;
  /** Seconds of audio scanned. */
  duration: number;
  recipe: VadRecipe;
}

/** Regions and utterance segments from probabilities already computed (e.g. to retune without rescanning). */
export function segmentSpeech(scan: SpeechProbabilities, options: Partial<VadOptions> = {}, offsetSeconds = 0): VadResult {
  const o = resolveVadOptions(options);
  const regions = speechRegions(scan.probabilities, scan.samples, o);
  const segments = utteranceSegments(regions, scan.probabilities, o);
  const shift = <T extends TimeSpan>(s: T): T => ({ ...s, start: s.start + offsetSeconds, end: s.end + offsetSeconds });
  return {
    segments: segments.map(shift),
    regions: regions.map(shift),
    probabilities: scan.probabilities,
    duration: scan.samples / scan.sampleRate,
    recipe: vadRecipe(o),
  };
}

/** Scan a file (or a range of it) with Silero VAD and return utterance segments. */
export async function segmentMediaByVad(path: string, options: VadRunOptions = {}): Promise<VadResult> {
  const { start = 0, end, chunkSamples, intraOpNumThreads, modelPath, signal, onProgress, ...vad } = options;
  const o = resolveVadOptions(vad);
  signal?.throwIfAborted();
  const model = await SileroVadModel.load({ model: o.model, modelPath, intraOpNumThreads });
  const stream = new SpeechProbabilityStream(model);
  let samples = 0;
  for await (const chunk of decodeAudio(path, { start, end, chunkSamples })) {
    signal?.throwIfAborted();
    await stream.push(chunk);
    samples += chunk.length;
    onProgress?.(samples / VAD_SAMPLE_RATE);
  }
  return segmentSpeech(await stream.finish(), o, start);
}
