// A wav2vec2 / HuBERT / WavLM audio encoder plug-in: 16 kHz mono samples (what
// media/audio-decode gives) -> the feature extractor's normalization -> last_hidden_state,
// averaged over time into one vector per clip or segment.
//
// Attention cost grows with the square of the frames (about 50 per second), so callers embed
// segments, not whole hour-long files.

import { join } from 'node:path';
import { AutoFeatureExtractor, AutoModel } from '@huggingface/transformers';
import type { FeatureExtractor, PreTrainedModel, Tensor } from '@huggingface/transformers';
import { SentiscopeError } from '../../shared/errors';
import { checkedThreads, type ExecutionProvider, type ProviderFallback } from '../models/execution-providers';
import { ANALYSIS_SAMPLE_RATE } from '../media/audio-decode';
import { expectModality, inspectEncoderFolder, type AudioFamily, type EncoderFolder } from './encoder-folder';
import { placeOnDevice, type EncoderOpenOptions } from './encoder-device';
import { loadFailure, missingOutput } from './encoder-errors';
import { meanPool } from './pooling';
import { localFileOptions, localModelOptions } from './transformers-runtime';

export interface AudioEncoder {
  modality: 'audio';
  family: AudioFamily;
  /** Hidden size: the length of every vector embed returns. */
  dims: number;
  /** Samples per second embed expects (16 000). */
  sampleRate: number;
  /** Fewest samples the convolutional front end accepts. */
  minSamples: number;
  provider: ExecutionProvider;
  fallbacks: ProviderFallback[];
  folder: EncoderFolder;
  /** Mean over time of last_hidden_state for 16 kHz mono samples. */
  embed(samples: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

// wav2vec2-base's feature encoder, used when config.json does not list its own.
const DEFAULT_KERNELS = [10, 3, 3, 3, 3, 2, 2];
const DEFAULT_STRIDES = [5, 2, 2, 2, 2, 2, 2];

/** Smallest input giving one output frame through the conv stack (400 for wav2vec2-base). */
export function minimumSamples(kernels: readonly number[], strides: readonly number[]): number {
  let length = 1;
  for (let i = kernels.length - 1; i >= 0; i--) length = (length - 1) * strides[i] + kernels[i];
  return length;
}

export async function openAudioEncoder(dir: string, options: EncoderOpenOptions = {}): Promise<AudioEncoder> {
  const folder = inspectEncoderFolder(dir);
  expectModality(folder, 'audio');
  const threads = checkedThreads(options.threads);
  const preprocessorFile = join(folder.dir, 'preprocessor_config.json');

  let extractor: FeatureExtractor;
  let placed;
  try {
    extractor = await AutoFeatureExtractor.from_pretrained(folder.dir, localFileOptions());
    placed = await placeOnDevice(options.device ?? 'cpu', (provider) =>
      AutoModel.from_pretrained(folder.dir, localModelOptions({ subfolder: folder.subfolder, dtype: folder.dtype, provider, threads })),
    );
  } catch (err) {
    throw loadFailure(folder, err);
  }
  const model: PreTrainedModel = placed.value;
  const rate = (extractor.config as { sampling_rate?: number }).sampling_rate ?? ANALYSIS_SAMPLE_RATE;
  if (rate !== ANALYSIS_SAMPLE_RATE) {
    await model.dispose();
    throw new SentiscopeError(
      'bad-model',
      `${preprocessorFile} expects ${rate} Hz audio; Sentiscope decodes speech at ${ANALYSIS_SAMPLE_RATE} Hz: use a ${ANALYSIS_SAMPLE_RATE} Hz wav2vec2/HuBERT model.`,
      preprocessorFile,
    );
  }
  const outputNames: readonly string[] = model.sessions.model?.outputNames ?? [];
  if (!outputNames.includes('last_hidden_state')) throw missingOutput(folder, 'last_hidden_state', outputNames);
  const minSamples = minimumSamples(folder.config.conv_kernel ?? DEFAULT_KERNELS, folder.config.conv_stride ?? DEFAULT_STRIDES);

  return {
    modality: 'audio',
    family: folder.family as AudioFamily,
    dims: folder.config.hidden_size ?? 0,
    sampleRate: rate,
    minSamples,
    provider: placed.provider,
    fallbacks: placed.fallbacks,
    folder,
    async embed(samples) {
      if (samples.length < minSamples) {
        throw new SentiscopeError(
          'bad-request',
          `Audio too short for the ${folder.family} encoder in ${folder.dir}: ${samples.length} samples, it needs at least ${minSamples} (${((minSamples / rate) * 1000).toFixed(0)} ms at ${rate} Hz).`,
          null,
        );
      }
      const inputs = await extractor(samples);
      const outputs = (await model(inputs)) as Record<string, Tensor | undefined>;
      const hidden = outputs.last_hidden_state;
      if (!hidden) throw missingOutput(folder, 'last_hidden_state', Object.keys(outputs));
      return meanPool(hidden)[0];
    },
    async dispose() {
      await model.dispose();
    },
  };
}
