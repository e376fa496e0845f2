// Acoustic modality: per-frame log-mel, MFCC, F0/voicing, energy and ZCR from the 16 kHz
// stream, utterance statistics, and the recipe a model pack's manifest records.

export {
  ACOUSTIC_RECIPE_VERSION,
  DEFAULT_ACOUSTIC_RECIPE,
  acousticFeatureNames,
  acousticFrameCount,
  describeRecipeMismatch,
  frameCenterSeconds,
  frameGeometry,
} from './recipe';
export type { AcousticRecipe, FrameGeometry, YinRecipe } from './recipe';
export { acousticRecipeProblems, parseAcousticRecipe } from './recipe-check';
export { AcousticExtractor, extractAcousticFeatures } from './extractor';
export type { AcousticFrames } from './extractor';
export { extractAcousticFeaturesFromMedia } from './media-features';
export type { MediaFeatureOptions } from './media-features';
export { STATISTICS_PER_COLUMN, acousticStatisticNames, utteranceStatistics } from './statistics';
export type { AcousticStatistics } from './statistics';
export { ComplexFft, RealFft, powerSpectrum } from './fft';
export { MelFilterbank, OrthonormalDct, hzToMel, melToHz } from './mel';
export { YinPitch } from './pitch';
export type { PitchEstimate } from './pitch';
