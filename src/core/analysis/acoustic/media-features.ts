// Acoustic features of a media file's time range, streamed from ffmpeg chunk by chunk so
// a long range is never held whole as samples.

import { decodeAudio } from '../../media';
import { AcousticExtractor, type AcousticFrames } from './extractor';
import { type AcousticRecipe, DEFAULT_ACOUSTIC_RECIPE } from './recipe';

export interface MediaFeatureOptions {
  /** Seconds from the start of the file. */
  start?: number;
  /** Seconds (exclusive); default: the end of the file. */
  end?: number;
  recipe?: AcousticRecipe;
  /** Samples per decoded chunk (default: decodeAudio's). */
  chunkSamples?: number;
}

export async function extractAcousticFeaturesFromMedia(path: string, options: MediaFeatureOptions = {}): Promise<AcousticFrames> {
  const { start, end, chunkSamples, recipe = DEFAULT_ACOUSTIC_RECIPE } = options;
  const extractor = new AcousticExtractor(recipe);
  if (recipe.sampleRate !== 16_000) {
    throw new RangeError(`extractAcousticFeaturesFromMedia: media decodes at 16000 Hz, recipe wants ${recipe.sampleRate}`);
  }
  for await (const chunk of decodeAudio(path, { start, end, chunkSamples })) extractor.push(chunk);
  return extractor.finish();
}
