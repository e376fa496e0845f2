// Domain types shared by every layer. Pure data: no I/O, no classes.
// Human labels and model predictions are different types on purpose: a prediction
// can become a label only through an explicit accept, never by being stored as one.

export type Polarity = 'negative' | 'neutral' | 'positive';
export const POLARITIES: readonly Polarity[] = ['negative', 'neutral', 'positive'];

/** MMSA's `mode` column. MOSI's "dev" split is written as "valid" in label.csv. */
export type Split = 'train' | 'valid' | 'test';

export type SegmentSource = 'vad' | 'asr' | 'import' | 'manual';
export type LabelScheme = 'mosi' | 'mvsa';
export type MediaKind = 'video' | 'audio' | 'image' | 'none';

/** The three modalities a segment is read in; MODALITIES is their fixed order (presence masks, columns). */
export type Modality = 'text' | 'audio' | 'visual';
export const MODALITIES: readonly Modality[] = ['text', 'audio', 'visual'];

export interface VideoStreamInfo {
  width: number;
  height: number;
  fps: number;
  codec: string;
}

export interface AudioStreamInfo {
  sampleRate: number;
  channels: number;
  codec: string;
}

/** What `sentiscope probe` prints: the contract in ARCHITECTURE.md. */
export interface ProbeInfo {
  duration: number;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
}

export interface Project {
  id: number;
  name: string;
  createdAt: string;
}

/**
 * A media item. `name` is the MMSA `video_id` (a file's base name by default);
 * `path` is null for items known only from an imported label file.
 */
export interface Media {
  id: number;
  projectId: number;
  name: string;
  path: string | null;
  /** Stable file identity (size + content hash of head and tail), used for caches. */
  identity: string | null;
  kind: MediaKind;
  probe: ProbeInfo | null;
  addedAt: string;
}

export interface WordTiming {
  word: string;
  start: number;
  end: number;
}

export interface Segment {
  id: number;
  mediaId: number;
  /** MMSA `clip_id`; unique within its media. */
  clipId: string;
  start: number;
  end: number;
  source: SegmentSource;
  text: string;
  /**
   * Word timings. From an SRT/VTT cue or a spread plain transcript they are estimates:
   * the segment's span shared among its words by character length.
   */
  words: WordTiming[] | null;
  split: Split | null;
  /**
   * false when the span is an estimate (plain text spread over speech by duration) that
   * the annotator should check; moving a boundary makes it true again.
   */
  aligned: boolean;
}

/** CMU-MOSI style: overall score in [-3, 3], optional per-modality scores (CH-SIMS style). */
export interface MosiLabelValues {
  score: number;
  text: number | null;
  audio: number | null;
  visual: number | null;
}

/**
 * MVSA style: text and image labelled apart; the pair label is derived from them by the
 * merge rule. `pair` holds a pair label given directly (an imported MVSA-Single post whose
 * sides were never labelled apart); it is used only while both sides are null.
 */
export interface MvsaLabelValues {
  text: Polarity | null;
  image: Polarity | null;
  pair: Polarity | null;
}

interface LabelBase {
  id: number;
  segmentId: number;
  annotator: string;
  notes: string;
  questionable: boolean;
  updatedAt: string;
}
export interface MosiLabel extends LabelBase {
  scheme: 'mosi';
  values: MosiLabelValues;
}
export interface MvsaLabel extends LabelBase {
  scheme: 'mvsa';
  values: MvsaLabelValues;
}
export type Label = MosiLabel | MvsaLabel;

/** The adjudicator's final label of a segment, stored apart from every annotator's. */
interface AdjudicationBase {
  id: number;
  segmentId: number;
  adjudicator: string;
  notes: string;
  updatedAt: string;
}
export interface MosiAdjudication extends AdjudicationBase {
  scheme: 'mosi';
  values: MosiLabelValues;
}
export interface MvsaAdjudication extends AdjudicationBase {
  scheme: 'mvsa';
  values: MvsaLabelValues;
}
export type Adjudication = MosiAdjudication | MvsaAdjudication;

/** A segment of the adjudication review queue: every annotator's label and the final one. */
export interface ReviewItem {
  mediaId: number;
  media: string;
  segmentId: number;
  clipId: string;
  start: number;
  end: number;
  text: string;
  /** MOSI: highest minus lowest score; MVSA: share of annotators not giving the commonest pair label. */
  spread: number;
  labels: Label[];
  adjudication: Adjudication | null;
}

export interface ClassProbabilities {
  negative: number;
  neutral: number;
  positive: number;
}

/** Signed Shapley contributions; null where the modality was absent. */
export interface ModalityContributions {
  text: number | null;
  audio: number | null;
  visual: number | null;
}

/** Per modality: outside what the model saw in training (true), inside (false), not judged (null: absent, or a pack without the check). */
export interface ModalityFlags {
  text: boolean | null;
  audio: boolean | null;
  visual: boolean | null;
}

export interface Prediction {
  id: number;
  segmentId: number;
  modelId: string;
  modelVersion: string;
  score: number;
  probabilities: ClassProbabilities;
  contributions: ModalityContributions;
  /** The score with every modality removed: what the contributions are measured against (score = base + their sum). */
  base: number | null;
  outOfRange: ModalityFlags;
  /** Language detected in the segment's text (ISO 639-1, e.g. "en", "zh"); null without text. */
  language: string | null;
  createdAt: string;
}
