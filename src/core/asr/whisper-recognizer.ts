// Whisper speech recognition through @huggingface/transformers' automatic-speech-recognition
// pipeline: its feature extractor, tokenizer, greedy decoding loop with the key/value cache,
// timestamp rules and word timestamps (cross-attention + DTW) are the library's, run on
// onnxruntime-node like every other model here. This file loads a checked folder on a device
// and turns the pipeline's output into timed words.

import type { WordTiming } from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';
import { checkedThreads, type Device, type ExecutionProvider, type ProviderFallback } from '../models/execution-providers';
import { placeOnDevice } from '../plugins/encoder-device';
import { localModelOptions } from '../plugins/transformers-runtime';
import { checkLanguage, inspectWhisperFolder, type WhisperFolder } from './whisper-folder';

export interface RecognizerOptions {
  /** Default 'cpu'; a GPU that cannot run the model falls back to cpu with the reason kept. */
  device?: Device;
  threads?: number;
}

export interface RecognizedAudio {
  text: string;
  /** Seconds from the start of the samples given. */
  words: WordTiming[];
}

interface PipelineChunk {
  text: string;
  timestamp: [number | null, number | null];
}
interface PipelineOutput {
  text: string;
  chunks?: PipelineChunk[];
}
type AsrPipeline = ((audio: Float32Array, options: Record<string, unknown>) => Promise<PipelineOutput>) & { dispose(): Promise<void> };

export const SAMPLE_RATE = 16_000;

export class WhisperRecognizer {
  private constructor(
    readonly folder: WhisperFolder,
    private readonly pipe: AsrPipeline,
    readonly provider: ExecutionProvider,
    readonly fallbacks: ProviderFallback[],
  ) {}

  /** Checks the folder (naming any missing file), then loads it. */
  static async open(dir: string, options: RecognizerOptions = {}): Promise<WhisperRecognizer> {
    const folder = inspectWhisperFolder(dir);
    const threads = checkedThreads(options.threads);
    // Loaded on demand: importing the library costs seconds that only transcription should pay.
    const { pipeline } = await import('@huggingface/transformers');
    const placed = await placeOnDevice(options.device ?? 'cpu', async (provider) => {
      try {
        const load = localModelOptions({ subfolder: folder.subfolder, dtype: 'fp32', provider, threads });
        return (await pipeline('automatic-speech-recognition', folder.dir, load)) as unknown as AsrPipeline;
      } catch (err) {
        if (provider !== 'cpu') throw err;
        const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
        throw new SentiscopeError(
          'bad-model',
          `Cannot load the Whisper model in ${folder.dir}: ${why}. The files may be damaged or from an unsupported export: re-export or re-download it.`,
          folder.dir,
        );
      }
    });
    return new WhisperRecognizer(folder, placed.value, placed.provider, placed.fallbacks);
  }

  /**
   * Transcribes 16 kHz mono samples. Audio longer than the model's window is decoded in
   * overlapping windows by the pipeline. `language` is a code the model knows ("en", "zh").
   */
  async recognize(samples: Float32Array, options: { language?: string; words?: boolean } = {}): Promise<RecognizedAudio> {
    const language = checkLanguage(this.folder, options.language);
    const wantWords = (options.words ?? true) && this.folder.wordTimestamps;
    const duration = samples.length / SAMPLE_RATE;
    const long = duration > this.folder.chunkSeconds;
    const output = await this.pipe(samples, {
      ...(language ? { language, task: 'transcribe' } : {}),
      return_timestamps: wantWords ? 'word' : false,
      ...(long ? { chunk_length_s: this.folder.chunkSeconds, stride_length_s: this.folder.chunkSeconds / 6 } : {}),
    });
    return { text: output.text.trim(), words: wantWords ? timedWords(output.chunks ?? [], duration) : [] };
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose();
  }
}

/**
 * The pipeline's word chunks as WordTiming: text trimmed, empty words dropped, times clamped
 * to the audio and kept in order (a missing end becomes the next word's start, or the end).
 */
export function timedWords(chunks: readonly PipelineChunk[], duration: number): WordTiming[] {
  const words: WordTiming[] = [];
  const clamp = (t: number) => Math.min(Math.max(t, 0), duration);
  chunks.forEach((chunk, i) => {
    const word = chunk.text.trim();
    if (!word) return;
    const previousEnd = words.length ? words[words.length - 1].end : 0;
    const start = Math.max(clamp(chunk.timestamp[0] ?? previousEnd), previousEnd);
    const nextStart = chunks[i + 1]?.timestamp[0];
    const end = Math.max(clamp(chunk.timestamp[1] ?? nextStart ?? duration), start);
    words.push({ word, start, end });
  });
  return words;
}
