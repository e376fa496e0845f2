// "Label next": unlabelled segments of a project ranked by how much a human label would
// help, i.e. by the uncertainty of their latest (calibrated) prediction, with a diversity
// rule so the queue is not a run of near-duplicates: a segment that starts within
// MIN_GAP_S of one already queued from the same media item, or that would make more than
// MAX_IN_A_ROW in a row from one item, waits until the others are placed. Nothing here
// writes: a prediction never becomes a label without the user's action.

import type { Media, Prediction, Segment } from '../../shared/domain';
import type { LabelQueue, QueueBand, QueueItem } from '../../shared/label-queue';
import type { ProjectStore } from '../store';

export const MIN_GAP_S = 2;
export const MAX_IN_A_ROW = 3;

export type { LabelQueue, QueueBand, QueueItem } from '../../shared/label-queue';

export function bandOf(maxProbability: number): QueueBand {
  if (maxProbability >= 0.8) return 'confident';
  return maxProbability >= 0.5 ? 'uncertain' : 'hard';
}

function itemFor(media: Media, segment: Segment, prediction: Prediction): QueueItem {
  const p = prediction.probabilities;
  const classes = ['negative', 'neutral', 'positive'] as const;
  const values = classes.map((c) => p[c]);
  const top = Math.max(...values);
  return {
    segmentId: segment.id,
    mediaId: media.id,
    media: media.name,
    clipId: segment.clipId,
    start: segment.start,
    end: segment.end,
    text: segment.text,
    model: { id: prediction.modelId, version: prediction.modelVersion },
    predicted: classes[values.indexOf(top)],
    probabilities: { ...p },
    score: prediction.score,
    uncertainty: 1 - top,
    entropy: -values.reduce((s, v) => s + (v > 0 ? v * Math.log2(v) : 0), 0),
    band: bandOf(top),
  };
}

/** The most uncertain first, then placed by the diversity rule. */
export function rankQueue(candidates: readonly QueueItem[], n: number): QueueItem[] {
  const waiting = [...candidates].sort(
    (a, b) => b.uncertainty - a.uncertainty || a.media.localeCompare(b.media) || a.start - b.start || a.segmentId - b.segmentId,
  );
  const placed: QueueItem[] = [];
  const near = (c: QueueItem) => placed.some((q) => q.media === c.media && Math.abs(q.start - c.start) < MIN_GAP_S);
  const run = (c: QueueItem) => placed.length >= MAX_IN_A_ROW && placed.slice(-MAX_IN_A_ROW).every((q) => q.media === c.media);
  // When nothing fits, the run rule gives way first (one media item left), then the near
  // rule: the rules order the queue, they never hide a segment.
  while (placed.length < n && waiting.length) {
    let at = waiting.findIndex((c) => !near(c) && !run(c));
    if (at < 0) at = waiting.findIndex((c) => !near(c));
    placed.push(waiting.splice(Math.max(at, 0), 1)[0]);
  }
  return placed;
}

/** The queue of `store`'s unlabelled segments; `model` keeps only that pack's predictions. */
export function labelQueue(store: ProjectStore, options: { n: number; model?: string }): LabelQueue {
  const candidates: QueueItem[] = [];
  let labelled = 0;
  let withoutPrediction = 0;
  for (const media of store.listMedia()) {
    const labelledIds = new Set(store.listLabels(media.id).map((l) => l.segmentId));
    // The latest prediction of each segment (of the model asked for).
    const latest = new Map<number, Prediction>();
    for (const p of store.listPredictions(media.id)) {
      if (options.model !== undefined && p.modelId !== options.model) continue;
      const seen = latest.get(p.segmentId);
      if (!seen || p.createdAt > seen.createdAt || (p.createdAt === seen.createdAt && p.id > seen.id)) latest.set(p.segmentId, p);
    }
    for (const segment of store.listSegments(media.id)) {
      if (labelledIds.has(segment.id)) labelled++;
      else if (!latest.has(segment.id)) withoutPrediction++;
      else candidates.push(itemFor(media, segment, latest.get(segment.id)!));
    }
  }
  return { items: rankQueue(candidates, options.n), candidates: candidates.length, labelled, withoutPrediction };
}
