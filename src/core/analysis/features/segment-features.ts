// The per-segment feature vectors a late-fusion model pack reads: tokens + lexicon
// features of the text, utterance statistics of the audio, face statistics of the frames.
// Training (`sentiscope features`) and prediction compute them with this one class, so a
// pack is never run on numbers computed differently from those it was trained on.
//
// [Note: segment presence]
// A modality is absent (with a reason) instead of an error when the media's CONTENT has
// nothing to give: no words, no audio or video stream, digital silence, no face, a range
// too short for one frame, a file ffmpeg cannot decode. A file that does not exist is the
// user's mistake in the input, so it throws a SentiscopeError naming the file.
// Silence: every frame's log energy below SILENCE_LOG_ENERGY (mean square < 1e-8, i.e.
// below -80 dBFS) and no voiced frame -> absent 'silent'. Quiet speech stays present.

import { stat } from 'node:fs/promises';
import { SentiscopeError } from '../../../shared/errors';
import type { Modality } from '../../../shared/domain';
import {
  type AcousticRecipe,
  type AcousticFrames,
  type AcousticStatistics,
  DEFAULT_ACOUSTIC_RECIPE,
  acousticFeatureNames,
  acousticStatisticNames,
  extractAcousticFeaturesFromMedia,
  utteranceStatistics,
} from '../acoustic';
import {
  DEFAULT_VISUAL_RECIPE,
  EMOTION_LABELS,
  VisualAnalyzer,
  type VisualFrameFeatures,
  type VisualRecipe,
  describeVisualRecipeMismatch,
} from '../face';
import { DEFAULT_TEXT_RECIPE, type TextRecipe, builtTextRecipe, lexiconFeatures } from '../text';
import { detectLanguage, unreadLanguageReason } from '../text/language';
import { absenceReason } from './absence';

export interface MediaRange {
  path: string;
  /** Seconds from the start of the file. */
  start?: number;
  /** Seconds from the start of the file (exclusive); default: the end of the file. */
  end?: number;
}

/** One segment's inputs. A video row gives audio and visual from the same path; an image only visual; a wav only audio. */
export interface SegmentSource {
  text?: string | null;
  audio?: MediaRange | null;
  visual?: MediaRange | null;
}

/** A per-frame matrix, row-major frames x dims; column names in `names`. */
export interface FrameSequence {
  frames: number;
  dims: number;
  data: Float32Array;
  names: string[];
}

export interface SegmentFeatures {
  text: { tokens: string[]; lexicon: Float32Array } | null;
  /** `frames` (only with extract(..., { frames: true })): the acoustic frames the statistics summarise. */
  audio: { statistics: Float32Array; frames?: FrameSequence } | null;
  /** `frames` (only with extract(..., { frames: true })): one VISUAL_FRAME_NAMES row per sampled frame. */
  visual: { statistics: Float32Array; frames?: FrameSequence } | null;
  /** Why each absent modality is absent (a modality not asked for reads 'not given'). */
  absent: Partial<Record<Modality, string>>;
  /**
   * Pooled embeddings by the pack's encoder plug-ins, per modality (encoder-features.ts);
   * set only for packs that name encoders. A modality missing here has no embedding.
   */
  embeddings?: Partial<Record<Modality, Float32Array>>;
  /** The language of the text ([Note: language detection]); null when no text was given. */
  language?: string | null;
}

/**
 * Text features of one segment, or why text is absent: no words, or a language the pack
 * does not read (`languages` from its manifest; none named: every language).
 */
export function segmentText(
  text: string,
  tokenizerVersion: number,
  languages: readonly string[] | undefined,
): { text: SegmentFeatures['text']; language: string; absent?: string } {
  const language = detectLanguage(text);
  const unread = unreadLanguageReason(language, languages);
  if (unread) return { text: null, language, absent: unread };
  const lexicon = lexiconFeatures(text, tokenizerVersion);
  if (!lexicon) return { text: null, language, absent: 'no text' };
  return { text: { tokens: lexicon.tokens, lexicon: lexicon.values }, language };
}

export interface SegmentFeatureOptions {
  textRecipe?: TextRecipe;
  /** Languages the pack reads (manifest inputs.text.languages); text in another is absent. */
  textLanguages?: readonly string[];
  acousticRecipe?: AcousticRecipe;
  visualRecipe?: VisualRecipe;
  /** Folder with the face models (default resources/models/face). */
  faceModelDir?: string;
}

/** Column names of an acoustic frame row (audio.frames, `features --sequences`), default recipe. */
export const AUDIO_FRAME_NAMES: string[] = acousticFeatureNames(DEFAULT_ACOUSTIC_RECIPE);

/** Column names of the audio statistics vector (acoustic utteranceStatistics, default recipe). */
export const AUDIO_STATISTICS_NAMES: string[] = acousticStatisticNames(DEFAULT_ACOUSTIC_RECIPE);

/** Column names of the visual statistics vector, see visualStatisticsVector. */
export const VISUAL_STATISTICS_NAMES: string[] = [
  'face_ratio',
  ...EMOTION_LABELS.map((label) => `emotion_${label}_mean`),
  'face_score_mean',
];

/**
 * Column names of a visual frame row (visualFrameMatrix): the per-frame source of the
 * visual statistics (face_ratio is the mean of `face`; the emotion and score means are over
 * the rows with face = 1). Frames without a face carry zeros.
 */
export const VISUAL_FRAME_NAMES: string[] = ['face', ...EMOTION_LABELS.map((label) => `emotion_${label}`), 'face_score'];

export interface SegmentExtractOptions {
  /** Also return the per-frame matrices (audio.frames, visual.frames) of present modalities. */
  frames?: boolean;
}

/** ln(1e-8): a frame quieter than -80 dBFS counts as digital silence, see [Note: segment presence]. */
export const SILENCE_LOG_ENERGY = Math.log(1e-8);

/** Digital silence: no frame reaches SILENCE_LOG_ENERGY and none is voiced (read from the statistics). */
export function isSilent(statistics: AcousticStatistics): boolean {
  const get = (name: string) => statistics.values[statistics.names.indexOf(name)];
  return get('log_energy_max') < SILENCE_LOG_ENERGY && get('voiced_ratio') === 0;
}

// Media errors that mean "this content has nothing for the modality", not "bad input".
export class SegmentFeatureExtractor {
  private visualAnalyzer: Promise<VisualAnalyzer> | null = null;
  private closed = false;

  private constructor(
    readonly textRecipe: TextRecipe,
    readonly acousticRecipe: AcousticRecipe,
    readonly visualRecipe: VisualRecipe,
    private readonly faceModelDir: string | undefined,
    private readonly textLanguages: readonly string[] | undefined,
  ) {}

  /**
   * Refuses recipes this build cannot compute (text: only the built-in tokenizer and
   * lexicons; audio: 16 kHz). The face models load on the first visual segment, so a
   * text-only batch never pays for them.
   */
  static async create(options: SegmentFeatureOptions = {}): Promise<SegmentFeatureExtractor> {
    const textRecipe = options.textRecipe ?? structuredClone(DEFAULT_TEXT_RECIPE as TextRecipe);
    // The visual describer spells arrays out element by element (negators, feature names).
    const textMismatch = describeVisualRecipeMismatch(textRecipe, builtTextRecipe(textRecipe.tokenizer?.version));
    if (textMismatch) {
      throw new SentiscopeError(
        'bad-model',
        `text recipe differs from what this build computes (${textMismatch}): use a pack made for this version`,
      );
    }
    const acousticRecipe = options.acousticRecipe ?? structuredClone(DEFAULT_ACOUSTIC_RECIPE as AcousticRecipe);
    if (acousticRecipe.sampleRate !== 16_000) {
      throw new SentiscopeError(
        'bad-model',
        `acoustic recipe wants ${acousticRecipe.sampleRate} Hz; media decodes at 16000 Hz: use a pack made for 16 kHz`,
      );
    }
    const visualRecipe = options.visualRecipe ?? structuredClone(DEFAULT_VISUAL_RECIPE as VisualRecipe);
    return new SegmentFeatureExtractor(textRecipe, acousticRecipe, visualRecipe, options.faceModelDir, options.textLanguages);
  }

  get audioStatisticsNames(): string[] {
    return acousticStatisticNames(this.acousticRecipe);
  }

  async extract(source: SegmentSource, options: SegmentExtractOptions = {}): Promise<SegmentFeatures> {
    if (this.closed) throw new Error('SegmentFeatureExtractor.extract after close()');
    const absent: SegmentFeatures['absent'] = {};
    // Missing files first: a typo in the input must not pass for an absent modality.
    for (const range of [source.audio, source.visual]) if (range) await assertFileExists(range.path);

    let text: SegmentFeatures['text'] = null;
    let language: string | null = null;
    if (source.text == null) absent.text = 'not given';
    else {
      const read = segmentText(source.text, this.textRecipe.tokenizer.version, this.textLanguages);
      ({ text, language } = read);
      if (read.absent) absent.text = read.absent;
    }

    let audio: SegmentFeatures['audio'] = null;
    if (!source.audio) absent.audio = 'not given';
    else {
      const result = await this.audioStatistics(source.audio);
      if (typeof result === 'string') absent.audio = result;
      else if (options.frames) audio = { statistics: result.statistics, frames: acousticFrameSequence(result.frames) };
      else audio = { statistics: result.statistics };
    }

    let visual: SegmentFeatures['visual'] = null;
    if (!source.visual) absent.visual = 'not given';
    else {
      const result = await this.visualStatistics(source.visual);
      if (typeof result === 'string') absent.visual = result;
      else if (options.frames) visual = { statistics: result.statistics, frames: visualFrameMatrix(result.frames) };
      else visual = { statistics: result.statistics };
    }
    return { text, audio, visual, absent, language };
  }

  /** The face sessions are shared process-wide (loadFaceModels caches them); nothing to free here. */
  close(): void {
    this.closed = true;
    this.visualAnalyzer = null;
  }

  private async audioStatistics(range: MediaRange): Promise<{ statistics: Float32Array; frames: AcousticFrames } | string> {
    const empty = emptyRange(range);
    if (empty) return empty;
    let frames;
    try {
      frames = await extractAcousticFeaturesFromMedia(range.path, { start: range.start, end: range.end, recipe: this.acousticRecipe });
    } catch (err) {
      const reason = absenceReason(err, 'audio');
      if (reason !== null) return reason;
      throw err;
    }
    const statistics = utteranceStatistics(frames);
    if (!statistics) return 'too short (no full audio frame)';
    if (isSilent(statistics)) return 'silent';
    return { statistics: statistics.values, frames };
  }

  private async visualStatistics(range: MediaRange): Promise<{ statistics: Float32Array; frames: VisualFrameFeatures[] } | string> {
    const empty = emptyRange(range);
    if (empty) return empty;
    this.visualAnalyzer ??= VisualAnalyzer.create({ recipe: this.visualRecipe, modelDir: this.faceModelDir });
    const analyzer = await this.visualAnalyzer;
    const features = await analyzer.analyzeMedia(range.path, { start: range.start, end: range.end });
    if (features.absence) {
      switch (features.absence.reason) {
        case 'no-face':
          return 'no face';
        case 'no-video':
          return 'no video stream';
        case 'no-frames':
          return 'no frames in range';
        default:
          return `undecodable: ${features.absence.message}`;
      }
    }
    return { statistics: visualStatisticsVector(features.statistics), frames: features.frames };
  }
}

/** face_ratio, the 7 mean emotion probabilities (frames with a face), the mean detector score. */
export function visualStatisticsVector(statistics: {
  faceRatio: number;
  meanEmotions: Float32Array | null;
  meanScore: number | null;
}): Float32Array {
  const vector = new Float32Array(VISUAL_STATISTICS_NAMES.length);
  vector[0] = statistics.faceRatio;
  if (statistics.meanEmotions) vector.set(statistics.meanEmotions, 1);
  vector[vector.length - 1] = statistics.meanScore ?? 0;
  return vector;
}

/** The acoustic frames without their recipe (the caller has it as extractor.acousticRecipe). */
function acousticFrameSequence(frames: AcousticFrames): FrameSequence {
  return { frames: frames.frames, dims: frames.dims, data: frames.data, names: frames.names };
}

/** One VISUAL_FRAME_NAMES row per sampled frame, in time order. */
export function visualFrameMatrix(frames: readonly VisualFrameFeatures[]): FrameSequence {
  const dims = VISUAL_FRAME_NAMES.length;
  const data = new Float32Array(frames.length * dims);
  frames.forEach((frame, t) => {
    if (!frame.present || !frame.emotions) return;
    data[t * dims] = 1;
    data.set(frame.emotions, t * dims + 1);
    data[t * dims + dims - 1] = frame.score;
  });
  return { frames: frames.length, dims, data, names: VISUAL_FRAME_NAMES };
}

function emptyRange(range: MediaRange): string | null {
  if (range.start !== undefined && range.end !== undefined && range.end <= range.start) return 'empty range';
  return null;
}

async function assertFileExists(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new SentiscopeError('file-unreadable', `${path} is not a file: give a media file.`, path);
  } catch (err) {
    if (err instanceof SentiscopeError) throw err;
    throw new SentiscopeError('file-missing', `${path} does not exist: check the path.`, path);
  }
}
