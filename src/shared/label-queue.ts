// "Label next" as every layer sees it (src/core/services/label-queue.ts ranks it): the
// project's unlabelled segments with a prediction, most uncertain first, in bands. Pure data.

/** confident: shown as a suggestion to accept; uncertain: to review; hard: to label. */
export type QueueBand = 'confident' | 'uncertain' | 'hard';

export interface QueueItem {
  segmentId: number;
  mediaId: number;
  media: string;
  clipId: string;
  start: number;
  end: number;
  text: string;
  model: { id: string; version: string };
  predicted: 'negative' | 'neutral' | 'positive';
  probabilities: { negative: number; neutral: number; positive: number };
  score: number;
  /** 1 - the highest class probability. */
  uncertainty: number;
  /** Entropy of the class probabilities, in bits (0 .. log2 3). */
  entropy: number;
  band: QueueBand;
}

export interface LabelQueue {
  items: QueueItem[];
  /** Unlabelled segments with a prediction (of the model asked for), before the cut to n. */
  candidates: number;
  labelled: number;
  withoutPrediction: number;
}
