// Contributions of each modality to a segment's score: exact Shapley values over the
// modalities present, from the 2^k runs of the fusion model on every subset of them
// (k <= 3, so at most 8 runs). A modality is removed the way it is absent
// (presence 0, inputs zeroed), so the base value is the run with no modality at all and
// base + sum(contributions) equals the full score (efficiency), up to float rounding.

import type { SegmentFeatures } from '../analysis/features/segment-features';
import type { FusionOutput, FusionRunner } from './fusion-runner';
import { MODALITIES, type Modality } from './manifest';

export interface SegmentPrediction extends FusionOutput {
  /** Score of the run with every modality removed. */
  base: number;
  /** Shapley value of the score per modality; null where the modality is absent. */
  contributions: Record<Modality, number | null>;
  /** Modalities that took part. */
  present: Modality[];
  /** Language of the segment's text, where it had text. */
  language: string | null;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** Prediction and exact Shapley contributions for one segment. */
export async function predictWithContributions(runner: FusionRunner, features: SegmentFeatures): Promise<SegmentPrediction> {
  const present = runner.presentModalities(features);
  const k = present.length;
  // Runs by subset bitmask over `present`, each made once.
  const runs = new Map<number, Promise<FusionOutput>>();
  const run = (subset: number): Promise<FusionOutput> => {
    let pending = runs.get(subset);
    if (!pending) {
      const mask = Object.fromEntries(MODALITIES.map((m) => [m, false])) as Record<Modality, boolean>;
      present.forEach((m, i) => (mask[m] = (subset & (1 << i)) !== 0));
      pending = runner.run(features, mask);
      runs.set(subset, pending);
    }
    return pending;
  };

  const full = await run((1 << k) - 1);
  const base = (await run(0)).score;
  const contributions = Object.fromEntries(MODALITIES.map((m) => [m, null])) as Record<Modality, number | null>;
  for (let i = 0; i < k; i++) {
    let value = 0;
    for (let subset = 0; subset < 1 << k; subset++) {
      if (subset & (1 << i)) continue;
      const size = popcount(subset);
      const weight = (factorial(size) * factorial(k - size - 1)) / factorial(k);
      value += weight * ((await run(subset | (1 << i))).score - (await run(subset)).score);
    }
    contributions[present[i]] = value;
  }
  return { ...full, base, contributions, present, language: features.language ?? null };
}

function popcount(n: number): number {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
}
