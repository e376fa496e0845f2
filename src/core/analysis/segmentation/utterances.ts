// Speech regions -> utterance-sized segments, the unit a sentiment label applies to
// (CMU-MOSI segments average about 4 s). Rules in [Note: VAD segmentation], vad-recipe.ts.

import type { TimeSpan } from './speech-regions';
import { VAD_WINDOW_SECONDS, type VadOptions } from './vad-recipe';

export interface VadSegment extends TimeSpan {
  /** Mean speech probability of the windows whose centre lies inside (0..1). */
  speechProbability: number;
}

type UtteranceOptions = Pick<VadOptions, 'mergeGapS' | 'targetSegmentS' | 'maxSegmentS' | 'minSegmentS'>;

/** Join regions separated by short pauses, split over-long speech, drop fragments. */
export function utteranceSegments(regions: readonly TimeSpan[], probabilities: ArrayLike<number>, options: UtteranceOptions): VadSegment[] {
  const { mergeGapS, targetSegmentS, maxSegmentS, minSegmentS } = options;
  const joined: TimeSpan[] = [];
  let current: TimeSpan | null = null;
  for (const region of regions) {
    if (current) {
      const gap = region.start - current.end;
      const length = current.end - current.start;
      const together = region.end - current.start;
      const closer = Math.abs(together - targetSegmentS) < Math.abs(length - targetSegmentS);
      const fragment = length < minSegmentS || region.end - region.start < minSegmentS;
      if (gap <= mergeGapS && together <= maxSegmentS && (closer || fragment)) {
        current.end = region.end;
        continue;
      }
      joined.push(current);
    }
    current = { start: region.start, end: region.end };
  }
  if (current) joined.push(current);

  const spans: TimeSpan[] = [];
  for (const span of joined) splitLongSpan(span, probabilities, options, spans);
  return spans.filter((s) => s.end - s.start >= minSegmentS).map((s) => ({ ...s, speechProbability: meanProbability(s, probabilities) }));
}

function splitLongSpan(span: TimeSpan, probabilities: ArrayLike<number>, options: UtteranceOptions, out: TimeSpan[]): void {
  const { maxSegmentS, minSegmentS, targetSegmentS } = options;
  const length = span.end - span.start;
  if (length <= maxSegmentS) {
    out.push(span);
    return;
  }
  let margin = Math.max(minSegmentS, targetSegmentS / 2);
  if (length - 2 * margin < VAD_WINDOW_SECONDS) margin = minSegmentS;
  const at = quietestPoint(span.start + margin, span.end - margin, probabilities) ?? (span.start + span.end) / 2;
  splitLongSpan({ start: span.start, end: at }, probabilities, options, out);
  splitLongSpan({ start: at, end: span.end }, probabilities, options, out);
}

/** Centre of the lowest-probability window whose centre lies in [from, to]; ties go to the middle. */
function quietestPoint(from: number, to: number, probabilities: ArrayLike<number>): number | null {
  const first = Math.max(0, Math.ceil(from / VAD_WINDOW_SECONDS - 0.5));
  const last = Math.min(probabilities.length - 1, Math.floor(to / VAD_WINDOW_SECONDS - 0.5));
  const middle = (from + to) / 2;
  let best: number | null = null;
  let bestP = Infinity;
  let bestDistance = Infinity;
  for (let i = first; i <= last; i++) {
    const centre = (i + 0.5) * VAD_WINDOW_SECONDS;
    const distance = Math.abs(centre - middle);
    const p = probabilities[i];
    if (p < bestP || (p === bestP && distance < bestDistance)) {
      best = centre;
      bestP = p;
      bestDistance = distance;
    }
  }
  return best;
}

function meanProbability(span: TimeSpan, probabilities: ArrayLike<number>): number {
  const first = Math.max(0, Math.ceil(span.start / VAD_WINDOW_SECONDS - 0.5));
  const last = Math.min(probabilities.length - 1, Math.floor(span.end / VAD_WINDOW_SECONDS - 0.5));
  let sum = 0;
  for (let i = first; i <= last; i++) sum += probabilities[i];
  return last >= first ? sum / (last - first + 1) : 0;
}
