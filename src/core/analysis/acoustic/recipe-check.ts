// Checks a recipe (from code or from a model pack's manifest.json) is one this build
// implements, naming every unsupported field, so a pack built for other features is
// refused with a reason instead of being fed numbers it was not trained on.

import { SentiscopeError } from '../../../shared/errors';
import { MelFilterbank } from './mel';
import { ACOUSTIC_RECIPE_VERSION, type AcousticRecipe, DEFAULT_ACOUSTIC_RECIPE, frameGeometry } from './recipe';

const TOP_KEYS = Object.keys(DEFAULT_ACOUSTIC_RECIPE);
const F0_KEYS = Object.keys(DEFAULT_ACOUSTIC_RECIPE.f0);

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const nearInt = (v: number) => Math.abs(v - Math.round(v)) < 1e-9;

/** Reasons a recipe cannot be computed here; empty when it can. */
export function acousticRecipeProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['the recipe is not an object'];
  const r = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(r)) if (!TOP_KEYS.includes(key)) problems.push(`unknown field "${key}"`);
  for (const key of TOP_KEYS) if (!(key in r)) problems.push(`missing field "${key}"`);
  if (problems.length) return problems;

  if (r.version !== ACOUSTIC_RECIPE_VERSION)
    problems.push(`version ${JSON.stringify(r.version)} (this build implements ${ACOUSTIC_RECIPE_VERSION})`);
  if (!isInt(r.sampleRate) || r.sampleRate < 1000) problems.push(`sampleRate ${JSON.stringify(r.sampleRate)} (needs an integer >= 1000)`);
  if (r.framing !== 'snip-edges') problems.push(`framing ${JSON.stringify(r.framing)} (only "snip-edges")`);
  if (r.window !== 'hann') problems.push(`window ${JSON.stringify(r.window)} (only "hann")`);
  if (r.melScale !== 'htk') problems.push(`melScale ${JSON.stringify(r.melScale)} (only "htk")`);
  if (r.melNorm !== 'none') problems.push(`melNorm ${JSON.stringify(r.melNorm)} (only "none")`);
  if (!isInt(r.nFft) || r.nFft < 4 || (r.nFft & (r.nFft - 1)) !== 0) problems.push(`nFft ${JSON.stringify(r.nFft)} (needs a power of two)`);
  if (!isNum(r.preEmphasis) || r.preEmphasis < 0 || r.preEmphasis >= 1)
    problems.push(`preEmphasis ${JSON.stringify(r.preEmphasis)} (needs 0 <= a < 1)`);
  if (!isInt(r.melBins) || r.melBins < 1) problems.push(`melBins ${JSON.stringify(r.melBins)} (needs an integer >= 1)`);
  if (!isInt(r.mfcc) || r.mfcc < 0 || (isInt(r.melBins) && r.mfcc > r.melBins))
    problems.push(`mfcc ${JSON.stringify(r.mfcc)} (needs 0..melBins)`);
  if (!isNum(r.logFloor) || r.logFloor <= 0) problems.push(`logFloor ${JSON.stringify(r.logFloor)} (needs > 0)`);
  const nyquist = isInt(r.sampleRate) ? r.sampleRate / 2 : Infinity;
  if (!isNum(r.fMin) || !isNum(r.fMax) || r.fMin < 0 || r.fMin >= r.fMax || r.fMax > nyquist) {
    problems.push(`fMin ${JSON.stringify(r.fMin)} / fMax ${JSON.stringify(r.fMax)} (needs 0 <= fMin < fMax <= sampleRate/2)`);
  }

  const f0 = r.f0;
  if (f0 === null || typeof f0 !== 'object' || Array.isArray(f0)) {
    problems.push('f0 is not an object');
  } else {
    const p = f0 as Record<string, unknown>;
    for (const key of Object.keys(p)) if (!F0_KEYS.includes(key)) problems.push(`unknown field "f0.${key}"`);
    for (const key of F0_KEYS) if (!(key in p)) problems.push(`missing field "f0.${key}"`);
    if (p.method !== 'yin') problems.push(`f0.method ${JSON.stringify(p.method)} (only "yin")`);
    if (!isNum(p.minHz) || !isNum(p.maxHz) || p.minHz <= 0 || p.minHz >= p.maxHz || p.maxHz > nyquist / 2) {
      problems.push(`f0.minHz ${JSON.stringify(p.minHz)} / f0.maxHz ${JSON.stringify(p.maxHz)} (needs 0 < minHz < maxHz <= sampleRate/4)`);
    }
    if (!isNum(p.threshold) || p.threshold <= 0 || p.threshold >= 1)
      problems.push(`f0.threshold ${JSON.stringify(p.threshold)} (needs 0 < t < 1)`);
  }
  if (problems.length) return problems;

  const recipe = r as unknown as AcousticRecipe;
  const frameSamples = (recipe.frameLengthMs * recipe.sampleRate) / 1000;
  const hopSamples = (recipe.hopMs * recipe.sampleRate) / 1000;
  if (!isNum(recipe.frameLengthMs) || !nearInt(frameSamples) || frameSamples < 2)
    problems.push(`frameLengthMs ${recipe.frameLengthMs} is not a whole number of samples >= 2`);
  if (!isNum(recipe.hopMs) || !nearInt(hopSamples) || hopSamples < 1)
    problems.push(`hopMs ${recipe.hopMs} is not a whole number of samples >= 1`);
  if (frameSamples > recipe.nFft) problems.push(`frame of ${frameSamples} samples is longer than nFft ${recipe.nFft}`);
  if (problems.length) return problems;
  const { frameLength, tauMax } = frameGeometry(recipe);
  if (tauMax >= frameLength * 4) problems.push(`f0.minHz ${recipe.f0.minHz} needs lags far longer than the frame`);
  const empty = new MelFilterbank(recipe.sampleRate, recipe.nFft, recipe.melBins, recipe.fMin, recipe.fMax).emptyBands();
  if (empty.length) problems.push(`mel bands ${empty.join(', ')} contain no FFT bin (use fewer melBins, a higher fMin or a larger nFft)`);
  return problems;
}

/**
 * The recipe as a typed value, or a SentiscopeError('bad-model') listing everything this
 * build does not implement. `file` names the manifest it came from, if any.
 */
export function parseAcousticRecipe(value: unknown, file: string | null = null): AcousticRecipe {
  const problems = acousticRecipeProblems(value);
  if (problems.length) {
    const where = file ? ` in ${file}` : '';
    throw new SentiscopeError(
      'bad-model',
      `The acoustic feature recipe${where} is not one this version of Sentiscope computes: ${problems.join('; ')}. ` +
        `Use a model pack built for acoustic recipe version ${ACOUSTIC_RECIPE_VERSION}, or update Sentiscope.`,
      file,
    );
  }
  return value as AcousticRecipe;
}
