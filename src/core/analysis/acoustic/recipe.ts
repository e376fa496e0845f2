// The acoustic feature recipe: every parameter that changes the numbers an audio encoder
// sees. A model pack's manifest records the recipe it was trained on; the runtime refuses
// a pack whose recipe differs from what this code computes (see [Note: acoustic recipe]).
//
// [Note: acoustic recipe]
// Conventions, chosen so a Python/numpy port can reproduce the numbers exactly:
// - Framing "snip-edges" (Kaldi's default): no padding; frame t covers samples
//   [t*hop, t*hop + frameLength); frames = floor((N - frameLength) / hop) + 1, or 0 when
//   N < frameLength. A frame depends only on its own samples (YIN aside, below), so a
//   segment cut on a hop boundary yields the same frames as the whole file.
// - Spectrum: per-frame pre-emphasis y[0] = x[0] - a*x[0], y[i] = x[i] - a*x[i-1] (Kaldi),
//   then a periodic Hann window w[n] = 0.5 - 0.5*cos(2*pi*n/L) (torch.hann_window(L),
//   scipy get_window('hann', L)), zero-padded to nFft, power |X|^2 unnormalised.
// - Mel: HTK scale mel = 2595*log10(1 + f/700), triangles on continuous frequency, no area
//   normalisation: torchaudio.functional.melscale_fbanks(nFft/2+1, fMin, fMax, melBins,
//   sampleRate, norm=None, mel_scale='htk') == librosa.filters.mel(htk=True, norm=None).
// - logmel = ln(max(mel energy, logFloor)) (natural log).
// - MFCC: orthonormal DCT-II of the log-mel vector, first `mfcc` coefficients, c0 kept:
//   logmel @ torchaudio.functional.create_dct(mfcc, melBins, 'ortho'). No deltas: the
//   sequence encoder sees neighbouring frames, and deltas are derivable exactly offline.
// - F0: YIN (de Cheveigne & Kawahara 2002) on the raw (not pre-emphasised) samples; the
//   integration window is the frame itself, lags look ahead up to ceil(sr/minHz)+1 samples
//   (zeros past the end of the stream); cumulative mean normalised difference (CMND),
//   first dip below `threshold` then descend to its local minimum, parabolic interpolation
//   on the CMND. Unvoiced (no dip) -> f0_hz = 0. voicing_prob = clamp(1 - min CMND, 0, 1)
//   over lags [floor(sr/maxHz), ceil(sr/minHz)].
// - log_energy = ln(max(mean(x^2), logFloor)) of the raw frame; zcr = fraction of adjacent
//   raw-sample pairs whose sign (x >= 0) differs.

export const ACOUSTIC_RECIPE_VERSION = 1;

export interface YinRecipe {
  method: 'yin';
  minHz: number;
  maxHz: number;
  /** CMND threshold below which a dip counts as a period. */
  threshold: number;
}

export interface AcousticRecipe {
  version: number;
  sampleRate: number;
  frameLengthMs: number;
  hopMs: number;
  framing: 'snip-edges';
  window: 'hann';
  nFft: number;
  preEmphasis: number;
  melScale: 'htk';
  melNorm: 'none';
  melBins: number;
  fMin: number;
  fMax: number;
  /** Number of MFCC coefficients (c0 included). */
  mfcc: number;
  f0: YinRecipe;
  logFloor: number;
}

/** 40 HTK mel bands over the full 16 kHz band, 13 MFCC, YIN 60-500 Hz. */
export const DEFAULT_ACOUSTIC_RECIPE: Readonly<AcousticRecipe> = Object.freeze({
  version: ACOUSTIC_RECIPE_VERSION,
  sampleRate: 16_000,
  frameLengthMs: 25,
  hopMs: 10,
  framing: 'snip-edges',
  window: 'hann',
  nFft: 512,
  preEmphasis: 0.97,
  melScale: 'htk',
  melNorm: 'none',
  melBins: 40,
  fMin: 20,
  fMax: 8000,
  mfcc: 13,
  f0: Object.freeze({ method: 'yin', minHz: 60, maxHz: 500, threshold: 0.15 }) as YinRecipe,
  logFloor: 1e-10,
});

/** Frame geometry in samples, derived from a recipe. */
export interface FrameGeometry {
  frameLength: number;
  hop: number;
  /** YIN lag range (inclusive). */
  tauMin: number;
  tauMax: number;
  /** Samples frame t reads: its own frame plus the YIN lag look-ahead. */
  span: number;
}

export function frameGeometry(recipe: AcousticRecipe): FrameGeometry {
  const frameLength = Math.round((recipe.frameLengthMs * recipe.sampleRate) / 1000);
  const hop = Math.round((recipe.hopMs * recipe.sampleRate) / 1000);
  const tauMin = Math.max(2, Math.floor(recipe.sampleRate / recipe.f0.maxHz));
  const tauMax = Math.ceil(recipe.sampleRate / recipe.f0.minHz);
  // +1: parabolic interpolation at tauMax reads CMND[tauMax + 1].
  return { frameLength, hop, tauMin, tauMax, span: frameLength + tauMax + 1 };
}

/** Frames a stream of `samples` samples yields (snip-edges framing). */
export function acousticFrameCount(recipe: AcousticRecipe, samples: number): number {
  const { frameLength, hop } = frameGeometry(recipe);
  return samples < frameLength ? 0 : Math.floor((samples - frameLength) / hop) + 1;
}

/** Seconds from the start of the decoded range to the centre of frame t. */
export function frameCenterSeconds(recipe: AcousticRecipe, t: number): number {
  const { frameLength, hop } = frameGeometry(recipe);
  return (t * hop + frameLength / 2) / recipe.sampleRate;
}

/** Per-frame column names, in matrix order. */
export function acousticFeatureNames(recipe: AcousticRecipe = DEFAULT_ACOUSTIC_RECIPE): string[] {
  const names: string[] = [];
  for (let i = 0; i < recipe.melBins; i++) names.push(`logmel_${i}`);
  for (let i = 0; i < recipe.mfcc; i++) names.push(`mfcc_${i}`);
  names.push('f0_hz', 'voicing_prob', 'log_energy', 'zcr');
  return names;
}

/** Flatten to dotted paths ("f0.minHz") so differences can be named one by one. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, value);
  }
}

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));

/**
 * Human-readable differences between the recipe a model pack expects and the one computed
 * here, e.g. "hopMs: pack expects 20, this build computes 10"; null when they match.
 */
export function describeRecipeMismatch(expected: unknown, actual: unknown): string | null {
  const e = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  flatten(expected, '', e);
  flatten(actual, '', a);
  const keys = [...new Set([...e.keys(), ...a.keys()])].sort();
  const diffs: string[] = [];
  for (const key of keys) {
    const ev = e.get(key);
    const av = a.get(key);
    if (!Object.is(ev, av)) diffs.push(`${key || 'recipe'}: pack expects ${show(ev)}, this build computes ${show(av)}`);
  }
  return diffs.length ? diffs.join('; ') : null;
}
