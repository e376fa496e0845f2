// Utterance-level statistics over a segment's frames: for every column its mean, std
// (population), min and max, then F0 over voiced frames only (unvoiced frames carry
// f0_hz = 0, which would drag a plain mean towards zero) and the voiced ratio. The same
// block follows again over the segment's active frames ([Note: active frames]).
//
// [Note: active frames]
// Frames whose log energy is within ACTIVE_RANGE_DB of the segment's loudest frame. Over all
// frames, the statistics describe how much silence a file holds as much as the voice in it:
// EmoDB's clips are padded with digital silence to 2 s, RAVDESS's carry about a second of
// room tone, a meeting recording has pauses. Trained on one acted corpus and tested on the
// other, an audio branch on all-frame statistics put 95 % of the other corpus in one class;
// on active-frame statistics 50-61 % (training/README.md, "active frames").

import type { AcousticFrames } from './extractor';
import { type AcousticRecipe, acousticFeatureNames, DEFAULT_ACOUSTIC_RECIPE } from './recipe';

export const STATISTICS_PER_COLUMN = ['mean', 'std', 'min', 'max'] as const;

/** Frames quieter than the segment's loudest by more than this are left out of the active block. */
export const ACTIVE_RANGE_DB = 30;
/** Prefix of the active-frame block's names. */
export const ACTIVE_PREFIX = 'active_';

export interface AcousticStatistics {
  values: Float32Array;
  names: string[];
}

/** One block's names: per column mean/std/min/max, then the voiced-only F0 statistics. */
function blockNames(recipe: AcousticRecipe): string[] {
  const names: string[] = [];
  for (const column of acousticFeatureNames(recipe)) for (const stat of STATISTICS_PER_COLUMN) names.push(`${column}_${stat}`);
  names.push('f0_hz_voiced_mean', 'f0_hz_voiced_std', 'voiced_ratio');
  return names;
}

/**
 * Names in order: `<column>_mean`, `<column>_std`, `<column>_min`, `<column>_max` for each
 * column of acousticFeatureNames(recipe), then `f0_hz_voiced_mean`, `f0_hz_voiced_std`,
 * `voiced_ratio` (all frames); then the same names prefixed `active_` (active frames). With
 * no voiced frame the voiced mean and std are 0 (and voiced_ratio 0).
 */
export function acousticStatisticNames(recipe: AcousticRecipe = DEFAULT_ACOUSTIC_RECIPE): string[] {
  const block = blockNames(recipe);
  return [...block, ...block.map((n) => ACTIVE_PREFIX + n)];
}

/** Statistics of a frame matrix; null when it has no frame (a segment shorter than a frame). */
export function utteranceStatistics(matrix: AcousticFrames): AcousticStatistics | null {
  if (matrix.frames === 0) return null;
  const names = acousticStatisticNames(matrix.recipe);
  const values = new Float32Array(names.length);
  writeBlock(matrix, new Uint8Array(matrix.frames).fill(1), values, 0);
  writeBlock(matrix, activeFrames(matrix), values, names.length / 2);
  return { values, names };
}

/** 1 for the frames within ACTIVE_RANGE_DB of the loudest (log_energy is a natural log of power). */
function activeFrames(matrix: AcousticFrames): Uint8Array {
  const { frames, dims, data } = matrix;
  const energy = matrix.names.indexOf('log_energy');
  let loudest = -Infinity;
  for (let t = 0; t < frames; t++) loudest = Math.max(loudest, data[t * dims + energy]);
  const floor = loudest - (ACTIVE_RANGE_DB / 10) * Math.LN10;
  const keep = new Uint8Array(frames);
  for (let t = 0; t < frames; t++) keep[t] = data[t * dims + energy] >= floor ? 1 : 0;
  return keep;
}

/** One block of statistics over the frames with keep[t] = 1 (at least one), written from `base`. */
function writeBlock(matrix: AcousticFrames, keep: Uint8Array, values: Float32Array, base: number): void {
  const { frames, dims, data } = matrix;
  const per = STATISTICS_PER_COLUMN.length;
  let count = 0;
  for (let t = 0; t < frames; t++) count += keep[t];
  for (let c = 0; c < dims; c++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let t = 0, i = c; t < frames; t++, i += dims) {
      if (!keep[t]) continue;
      const v = data[i];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / count;
    let squares = 0;
    for (let t = 0, i = c; t < frames; t++, i += dims) if (keep[t]) squares += (data[i] - mean) ** 2;
    values[base + c * per] = mean;
    values[base + c * per + 1] = Math.sqrt(squares / count);
    values[base + c * per + 2] = min;
    values[base + c * per + 3] = max;
  }

  const f0Column = matrix.names.indexOf('f0_hz');
  let voiced = 0;
  let sum = 0;
  for (let t = 0, i = f0Column; t < frames; t++, i += dims) {
    if (keep[t] && data[i] > 0) {
      voiced++;
      sum += data[i];
    }
  }
  const mean = voiced ? sum / voiced : 0;
  let squares = 0;
  for (let t = 0, i = f0Column; t < frames; t++, i += dims) if (keep[t] && data[i] > 0) squares += (data[i] - mean) ** 2;
  const at = base + dims * per;
  values[at] = mean;
  values[at + 1] = voiced ? Math.sqrt(squares / voiced) : 0;
  values[at + 2] = voiced / count;
}
