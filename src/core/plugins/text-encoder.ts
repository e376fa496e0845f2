// A BERT-family text encoder plug-in: a feature-extraction folder gives a pooled sentence
// vector (mean over real tokens, or [CLS]); a text-classification folder gives class
// probabilities with the labels from config.json id2label.

import { AutoModel, AutoModelForSequenceClassification, AutoTokenizer } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { join } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { checkedThreads, type ExecutionProvider, type ProviderFallback } from '../models/execution-providers';
import { inspectEncoderFolder, expectModality, type EncoderFolder, type EncoderTask, type TextFamily } from './encoder-folder';
import { placeOnDevice, type EncoderOpenOptions } from './encoder-device';
import { loadFailure, missingOutput } from './encoder-errors';
import { clsPool, meanPool, rowsOf, sigmoid, softmax, type Pooling } from './pooling';
import { localFileOptions, localModelOptions } from './transformers-runtime';

export interface TextEncoderOptions extends EncoderOpenOptions {
  /** Feature-extraction folders: 'mean' over real tokens (default) or the first token. */
  pooling?: Pooling;
}

export interface TextClassification {
  /** Label with the highest probability. */
  label: string;
  labels: string[];
  probabilities: Float32Array;
  logits: Float32Array;
}

export interface TextEncoder {
  modality: 'text';
  family: TextFamily;
  task: EncoderTask;
  /** Length of every vector embed returns (hidden size, or the number of labels). */
  dims: number;
  /** Classification folders: the class names, in output order; else null. */
  labels: string[] | null;
  provider: ExecutionProvider;
  fallbacks: ProviderFallback[];
  folder: EncoderFolder;
  /** Pooled sentence vector (feature extraction) or class probabilities (classification). */
  embed(text: string): Promise<Float32Array>;
  /** One padded batch; each result equals embed() of that text alone, within float rounding. */
  embedMany(texts: readonly string[]): Promise<Float32Array[]>;
  /** Classification folders only; throws for feature-extraction folders. */
  classify(text: string): Promise<TextClassification>;
  dispose(): Promise<void>;
}

type ModelOutputs = Record<string, Tensor | undefined>;

function labelsOf(folder: EncoderFolder): string[] {
  const id2label = folder.config.id2label ?? {};
  const ids = Object.keys(id2label)
    .map(Number)
    .filter(Number.isInteger)
    .sort((a, b) => a - b);
  return ids.map((id) => id2label[String(id)]);
}

/** Longest input the tokenizer may produce: tokenizer_config, else the position table. */
function maxLength(tokenizer: PreTrainedTokenizer, folder: EncoderFolder): number {
  const fromTokenizer = tokenizer.model_max_length;
  if (Number.isFinite(fromTokenizer) && fromTokenizer > 0 && fromTokenizer < 100_000) return fromTokenizer;
  const positions = folder.config.max_position_embeddings ?? 512;
  // RoBERTa-style tables reserve padding_idx + 1 leading positions.
  return folder.family === 'roberta' || folder.family === 'xlm-roberta' || folder.family === 'camembert' ? positions - 2 : positions;
}

export async function openTextEncoder(dir: string, options: TextEncoderOptions = {}): Promise<TextEncoder> {
  const folder = inspectEncoderFolder(dir);
  expectModality(folder, 'text');
  const threads = checkedThreads(options.threads);
  const pooling = options.pooling ?? 'mean';
  const family = folder.family as TextFamily;
  const classifier = folder.task === 'text-classification';
  const ModelClass = classifier ? AutoModelForSequenceClassification : AutoModel;

  let tokenizer: PreTrainedTokenizer;
  let placed;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(folder.dir, localFileOptions());
    placed = await placeOnDevice(options.device ?? 'cpu', (provider) =>
      ModelClass.from_pretrained(folder.dir, localModelOptions({ subfolder: folder.subfolder, dtype: folder.dtype, provider, threads })),
    );
  } catch (err) {
    throw loadFailure(folder, err);
  }
  const model: PreTrainedModel = placed.value;
  const labels = classifier ? labelsOf(folder) : null;
  const wanted = classifier ? 'logits' : 'last_hidden_state';
  const outputNames: readonly string[] = model.sessions.model?.outputNames ?? [];
  if (!outputNames.includes(wanted)) throw missingOutput(folder, wanted, outputNames);
  const limit = maxLength(tokenizer, folder);
  const multiLabel = folder.config.problem_type === 'multi_label_classification';

  async function run(texts: readonly string[]): Promise<{ logits: Float32Array[] | null; pooled: Float32Array[] }> {
    const inputs = tokenizer([...texts], { padding: true, truncation: true, max_length: limit });
    const outputs = (await model(inputs)) as ModelOutputs;
    const tensor = outputs[wanted];
    if (!tensor) throw missingOutput(folder, wanted, Object.keys(outputs));
    if (classifier) {
      const logits = rowsOf(tensor);
      return { logits, pooled: logits.map((row) => (multiLabel ? sigmoid(row) : softmax(row))) };
    }
    const mask = (inputs as { attention_mask?: Tensor }).attention_mask;
    return { logits: null, pooled: pooling === 'cls' ? clsPool(tensor) : meanPool(tensor, mask?.data as ArrayLike<bigint> | undefined) };
  }

  const dims = classifier ? (labels?.length ?? 0) : (folder.config.hidden_size ?? folder.config.dim ?? 0);
  return {
    modality: 'text',
    family,
    task: folder.task,
    dims,
    labels,
    provider: placed.provider,
    fallbacks: placed.fallbacks,
    folder,
    async embed(text) {
      return (await run([text])).pooled[0];
    },
    async embedMany(texts) {
      if (!texts.length) return [];
      return (await run(texts)).pooled;
    },
    async classify(text) {
      if (!classifier || !labels) {
        throw new SentiscopeError(
          'bad-model',
          `${folder.dir} is a feature-extraction encoder: it gives vectors, not classes. Use a ...ForSequenceClassification folder to classify.`,
          join(folder.dir, 'config.json'),
        );
      }
      const { logits, pooled } = await run([text]);
      const probabilities = pooled[0];
      let best = 0;
      for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
      return { label: labels[best] ?? String(best), labels, probabilities, logits: logits![0] };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
