// Segmentation: utterance segments from Silero VAD (streamed over the decoded audio), or
// from a transcript's cue timings. Manual segments need no analysis.

export {
  DEFAULT_VAD_OPTIONS,
  VAD_CONTEXT_SAMPLES,
  VAD_RECIPE_VERSION,
  VAD_SAMPLE_RATE,
  VAD_WINDOW_SAMPLES,
  VAD_WINDOW_SECONDS,
  effectiveNegThreshold,
  resolveVadOptions,
  vadOptionProblems,
  vadRecipe,
} from './vad-recipe';
export type { SileroModelFile, VadOptions, VadRecipe } from './vad-recipe';
export { SileroVadModel, sileroWeightsPath } from './silero-model';
export type { SileroLoadOptions } from './silero-model';
export { SpeechProbabilityStream, speechProbabilities } from './speech-probabilities';
export type { SpeechProbabilities } from './speech-probabilities';
export { speechRegions } from './speech-regions';
export type { TimeSpan } from './speech-regions';
export { utteranceSegments } from './utterances';
export type { VadSegment } from './utterances';
export { segmentMediaByVad, segmentSpeech } from './vad-segmenter';
export type { VadResult, VadRunOptions } from './vad-segmenter';
export { segmentsFromCues } from './cue-segments';
export type { CueSegment, CueSegmentOptions } from './cue-segments';
