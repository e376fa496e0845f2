// 'media:spectrogram': the log-mel spectrogram of one time window of a media file, computed
// here with the acoustic feature extractor (the page never decodes audio). Only the window
// is decoded, and a window is at most MAX_SPECTROGRAM_SECONDS long, so a request costs the
// same on a 1-hour file as on a 10-second clip.

import type { SpectrogramWindow } from '../../shared/contract';
import { SentiscopeError } from '../../shared/errors';
import { DEFAULT_ACOUSTIC_RECIPE, extractAcousticFeaturesFromMedia, frameCenterSeconds } from '../analysis/acoustic';
import { packFloat32 } from './packed-floats';

/** The longest window one request computes (about 0.5 s of CPU for 60 s of audio). */
export const MAX_SPECTROGRAM_SECONDS = 60;

export async function spectrogramWindow(path: string, start: number, end: number): Promise<SpectrogramWindow> {
  const from = Math.max(0, start);
  if (!(end > from)) {
    throw new SentiscopeError(
      'bad-request',
      `spectrogram window ${start}–${end} s of ${path} is empty: ask for an end after the start`,
      path,
    );
  }
  const to = Math.min(end, from + MAX_SPECTROGRAM_SECONDS);
  const recipe = DEFAULT_ACOUSTIC_RECIPE;
  const features = await extractAcousticFeaturesFromMedia(path, { start: from, end: to, recipe });
  const bins = recipe.melBins;
  // The log-mel bands are the first `bins` columns of each frame (acousticFeatureNames).
  const logMel = new Float32Array(features.frames * bins);
  for (let f = 0; f < features.frames; f++) {
    logMel.set(features.data.subarray(f * features.dims, f * features.dims + bins), f * bins);
  }
  return {
    start: from,
    end: to,
    framesPerSecond: 1000 / recipe.hopMs,
    firstFrameCenter: frameCenterSeconds(recipe, 0),
    frames: features.frames,
    bins,
    data: packFloat32(logMel),
  };
}
