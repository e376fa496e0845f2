// Speech probabilities -> padded speech regions: silero's get_speech_timestamps
// hysteresis, on windows already scored (see [Note: VAD segmentation] in vad-recipe.ts).

import { effectiveNegThreshold, VAD_SAMPLE_RATE, VAD_WINDOW_SAMPLES, type VadOptions } from './vad-recipe';

/** A time range in seconds from the start of the scanned audio. */
export interface TimeSpan {
  start: number;
  end: number;
}

type RegionOptions = Pick<VadOptions, 'threshold' | 'negThreshold' | 'minSpeechMs' | 'minSilenceMs' | 'speechPadMs'>;

/**
 * Speech regions in seconds. `samples` is the true length of the audio the probabilities
 * were computed from (the last window may have been zero-padded).
 */
export function speechRegions(probabilities: ArrayLike<number>, samples: number, options: RegionOptions): TimeSpan[] {
  const sr = VAD_SAMPLE_RATE;
  const W = VAD_WINDOW_SAMPLES;
  const threshold = options.threshold;
  const negThreshold = effectiveNegThreshold(options);
  const minSpeech = (sr * options.minSpeechMs) / 1000;
  const minSilence = (sr * options.minSilenceMs) / 1000;
  const pad = Math.floor((sr * options.speechPadMs) / 1000);

  const regions: { start: number; end: number }[] = [];
  let triggered = false;
  let start = 0;
  let tentativeEnd: number | null = null;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    const at = i * W;
    if (p >= threshold) {
      tentativeEnd = null;
      if (!triggered) {
        triggered = true;
        start = at;
      }
      continue;
    }
    if (!triggered || p >= negThreshold) continue;
    if (tentativeEnd === null) tentativeEnd = at;
    if ((i + 1) * W - tentativeEnd < minSilence) continue;
    if (tentativeEnd - start >= minSpeech) regions.push({ start, end: tentativeEnd });
    triggered = false;
    tentativeEnd = null;
  }
  if (triggered && samples - start >= minSpeech) regions.push({ start, end: samples });

  // Padding as silero: a gap narrower than two pads is shared half and half.
  for (let k = 0; k < regions.length; k++) {
    const r = regions[k];
    if (k === 0) r.start = Math.max(0, r.start - pad);
    const next = regions[k + 1];
    if (next) {
      const gap = next.start - r.end;
      if (gap < 2 * pad) {
        const half = Math.floor(gap / 2);
        r.end += half;
        next.start = Math.max(0, next.start - half);
      } else {
        r.end = Math.min(samples, r.end + pad);
        next.start = Math.max(0, next.start - pad);
      }
    } else {
      r.end = Math.min(samples, r.end + pad);
    }
  }
  return regions.map((r) => ({ start: r.start / sr, end: r.end / sr }));
}
