// A refit head: what `sentiscope refit` learns from the user's labels on top of a frozen
// pack. Per modality it reads, a linear layer on that modality's standardized feature
// vector gives 3 logit offsets and 1 score offset; 4 bias terms and a temperature on the
// final logits complete it. FusionRunner.run adds it to the pack's own outputs, and a
// modality masked out contributes nothing, so Shapley's base + sum = score still holds.

import { readFile } from 'node:fs/promises';
import { SentiscopeError } from '../../shared/errors';
import { FEATURE_KINDS } from './feature-columns';
import type { LearningCurve } from '../../shared/refit-job';
import type { Modality, ModelPackManifest, TensorFeature } from './manifest';

export const REFIT_HEAD_FORMAT = 'sentiscope-refit-head';

/** The feature vector a modality's head reads: the pack's own statistics input. */
export const REFIT_FEATURES: Readonly<Record<Modality, TensorFeature>> = {
  text: 'text.lexicon',
  audio: 'audio.statistics',
  visual: 'visual.statistics',
};

export interface RefitModalityHead {
  feature: TensorFeature;
  /** Standardization of the raw vector, from the user's rows. */
  mean: number[];
  std: number[];
  /** 4 rows (negative, neutral, positive logit offsets, then the score offset) of D weights. */
  weights: number[][];
}

export interface RefitHead {
  format: typeof REFIT_HEAD_FORMAT;
  version: 1;
  /** The pack the head sits on. */
  source: { id: string; version: string };
  /** 3 logit biases, then the score bias. */
  bias: number[];
  temperature: number;
  modalities: Partial<Record<Modality, RefitModalityHead>>;
  /** How the cross-validated score grew with the labels (refit-fit.ts learningCurve); the Models page plots it. */
  learningCurve?: LearningCurve;
}

export interface HeadOffsets {
  logits: [number, number, number];
  score: number;
}

/** The raw vector a head reads from a segment's features, or null when the modality is absent. */
export function refitVector(
  features: {
    text: { lexicon: Float32Array } | null;
    audio: { statistics: Float32Array } | null;
    visual: { statistics: Float32Array } | null;
  },
  modality: Modality,
): Float32Array | null {
  if (modality === 'text') return features.text?.lexicon ?? null;
  if (modality === 'audio') return features.audio?.statistics ?? null;
  return features.visual?.statistics ?? null;
}

/** Offsets for one segment; `vectors` holds the present (not masked) modalities' raw vectors. */
export function headOffsets(head: RefitHead, vectors: Partial<Record<Modality, ArrayLike<number>>>): HeadOffsets {
  const out = [...head.bias];
  for (const [m, h] of Object.entries(head.modalities) as [Modality, RefitModalityHead][]) {
    const x = vectors[m];
    if (!x) continue;
    for (let k = 0; k < 4; k++) {
      let sum = 0;
      for (let j = 0; j < h.mean.length; j++) sum += h.weights[k][j] * ((x[j] - h.mean[j]) / h.std[j]);
      out[k] += sum;
    }
  }
  return { logits: [out[0], out[1], out[2]], score: out[3] };
}

/** Final logits: (pack logits + offsets) / temperature. */
export function applyHeadLogits(head: RefitHead, logits: ArrayLike<number>, offsets: HeadOffsets): number[] {
  return Array.from(logits, (v, i) => (v + offsets.logits[i]) / head.temperature);
}

const finiteList = (v: unknown, n: number): boolean => Array.isArray(v) && v.length === n && v.every((x) => Number.isFinite(x));

/** What is wrong with a head for this pack; empty when it fits. */
export function refitHeadProblems(value: unknown, manifest: ModelPackManifest): string[] {
  const h = value as RefitHead;
  if (!h || typeof h !== 'object' || h.format !== REFIT_HEAD_FORMAT || h.version !== 1) {
    return [`"format" must be "${REFIT_HEAD_FORMAT}" version 1`];
  }
  const problems: string[] = [];
  if (!finiteList(h.bias, 4)) problems.push('"bias" must hold 4 numbers');
  if (!Number.isFinite(h.temperature) || h.temperature <= 0) problems.push('"temperature" must be a positive number');
  if (!h.modalities || typeof h.modalities !== 'object') return [...problems, '"modalities" must be an object'];
  for (const [m, mh] of Object.entries(h.modalities) as [Modality, RefitModalityHead][]) {
    const feature = REFIT_FEATURES[m];
    if (!feature || mh.feature !== feature) {
      problems.push(`modality "${m}" must read ${feature ?? 'a known feature'}`);
      continue;
    }
    if (!manifest.fusion.inputs.some((s) => s.feature === feature)) {
      problems.push(`"${m}" reads ${feature}, which the pack's fusion model does not take`);
      continue;
    }
    const width = FEATURE_KINDS[feature].columns!.length;
    if (!finiteList(mh.mean, width) || !finiteList(mh.std, width) || !mh.std.every((s) => s > 0)) {
      problems.push(`"${m}" mean and std must hold ${width} numbers (std > 0), one per ${feature} column`);
    }
    if (!Array.isArray(mh.weights) || mh.weights.length !== 4 || !mh.weights.every((row) => finiteList(row, width))) {
      problems.push(`"${m}" weights must be 4 rows of ${width} numbers`);
    }
  }
  return problems;
}

/** Reads and checks a pack's refit head; refuses a broken one naming the file. */
export async function loadRefitHead(file: string, manifest: ModelPackManifest): Promise<RefitHead> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new SentiscopeError(
      'bad-model',
      `${file}: the refit head cannot be read (${(err as Error).message}). Run \`sentiscope refit\` again.`,
      file,
    );
  }
  const problems = refitHeadProblems(value, manifest);
  if (problems.length) {
    throw new SentiscopeError(
      'bad-model',
      `${file}: the refit head does not fit pack ${manifest.id}: ${problems.join('; ')}. Run \`sentiscope refit\` again.`,
      file,
    );
  }
  return value as RefitHead;
}
