// Utterance-level statistics over a segment's frames: for every column its mean, std
// (population), min and max, then F0 over voiced frames only (unvoiced frames carry
// f0_hz = 0, which would drag a plain mean towards zero) and the voiced ratio.

import type { AcousticFrames } from './extractor';
import { type AcousticRecipe, acousticFeatureNames, DEFAULT_ACOUSTIC_RECIPE } from './recipe';

export const STATISTICS_PER_COLUMN = ['mean', 'std', 'min', 'max'] as const;

export interface AcousticStatistics {
  values: Float32Array;
  names: string[];
}

/**
 * Names in order: `<column>_mean`, `<column>_std`, `<column>_min`, `<column>_max` for each
 * column of acousticFeatureNames(recipe), then `f0_hz_voiced_mean`, `f0_hz_voiced_std`,
 * `voiced_ratio`. With no voiced frame the voiced mean and std are 0 (and voiced_ratio 0).
 */
export function acousticStatisticNames(recipe: AcousticRecipe = DEFAULT_ACOUSTIC_RECIPE): string[] {
  const names: string[] = [];
  for (const column of acousticFeatureNames(recipe)) for (const stat of STATISTICS_PER_COLUMN) names.push(`${column}_${stat}`);
  names.push('f0_hz_voiced_mean', 'f0_hz_voiced_std', 'voiced_ratio');
  return names;
}

/** Statistics of a frame matrix; null when it has no frame (a segment shorter than a frame). */
export function utteranceStatistics(matrix: AcousticFrames): AcousticStatistics | null {
  const { frames, dims, data } = matrix;
  if (frames === 0) return null;
  const names = acousticStatisticNames(matrix.recipe);
  const values = new Float32Array(names.length);
  const per = STATISTICS_PER_COLUMN.length;
  for (let c = 0; c < dims; c++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let t = 0, i = c; t < frames; t++, i += dims) {
      const v = data[i];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / frames;
    let squares = 0;
    for (let t = 0, i = c; t < frames; t++, i += dims) squares += (data[i] - mean) ** 2;
    values[c * per] = mean;
    values[c * per + 1] = Math.sqrt(squares / frames);
    values[c * per + 2] = min;
    values[c * per + 3] = max;
  }

  const f0Column = matrix.names.indexOf('f0_hz');
  let voiced = 0;
  let sum = 0;
  for (let t = 0, i = f0Column; t < frames; t++, i += dims) {
    if (data[i] > 0) {
      voiced++;
      sum += data[i];
    }
  }
  const mean = voiced ? sum / voiced : 0;
  let squares = 0;
  for (let t = 0, i = f0Column; t < frames; t++, i += dims) if (data[i] > 0) squares += (data[i] - mean) ** 2;
  const base = dims * per;
  values[base] = mean;
  values[base + 1] = voiced ? Math.sqrt(squares / voiced) : 0;
  values[base + 2] = voiced / frames;
  return { values, names };
}
