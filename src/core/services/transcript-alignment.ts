// Estimated timings for transcripts that lack them. Nothing here listens to the audio:
// - words inside a timed span (an SRT/VTT cue, a segment) share the span by character
//   length, so a long word gets more time than "a";
// - a plain transcript is shared among speech segments in proportion to their duration,
//   in order, cutting at a sentence end when one is near the proportional cut.
// Both are estimates: segments made from a spread transcript are stored unaligned for the
// annotator to check, and word times are never more exact than their segment's span.

import type { WordTiming } from '../../shared/domain';
import { wordsOf } from '../io/plain-transcript';

export interface TimeSpan {
  start: number;
  end: number;
}

/** Word times are kept to the millisecond, like segment times in files. */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The words of `text` laid end to end over [start, end], each lasting in proportion to
 * its length in characters. null when the text has no words.
 */
export function spreadWords(text: string, start: number, end: number): WordTiming[] | null {
  const words = wordsOf(text);
  if (words.length === 0) return null;
  const weights = words.map((w) => Math.max(1, [...w].length));
  const total = weights.reduce((a, b) => a + b, 0);
  const span = Math.max(0, end - start);
  const timings: WordTiming[] = [];
  let done = 0;
  let at = start;
  for (let i = 0; i < words.length; i++) {
    done += weights[i];
    // Rounded, then clamped into the span: times never step outside it or backwards.
    const next = i === words.length - 1 ? end : Math.min(end, Math.max(at, round3(start + (span * done) / total)));
    timings.push({ word: words[i], start: at, end: next });
    at = next;
  }
  return timings;
}

/**
 * Shares the words of `sentences` (in order, contiguous) among `spans` in proportion to
 * their durations. Each cut goes to the nearest sentence end when one lies within a
 * quarter of the smaller neighbouring share, else to the proportional word. Returns each
 * span's text (possibly '' when there are fewer words than spans).
 */
export function shareTextBySpans(sentences: readonly (readonly string[])[], spans: readonly TimeSpan[]): string[] {
  if (spans.length === 0) return [];
  const words = sentences.flat();
  const n = words.length;
  const sentenceEnds: number[] = [];
  let count = 0;
  for (const s of sentences) {
    count += s.length;
    sentenceEnds.push(count);
  }
  const durations = spans.map((s) => Math.max(0, s.end - s.start));
  const totalDuration = durations.reduce((a, b) => a + b, 0);
  // Zero-length spans only: share equally rather than divide by zero.
  const weights = totalDuration > 0 ? durations : spans.map(() => 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const shareOf = (k: number) => (n * weights[k]) / totalWeight;

  const cuts = [0];
  let cumulative = 0;
  for (let k = 0; k < spans.length - 1; k++) {
    cumulative += weights[k];
    const ideal = (n * cumulative) / totalWeight;
    const tolerance = Math.min(shareOf(k), shareOf(k + 1)) / 4;
    let best = Math.round(ideal);
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const e of sentenceEnds) {
      const distance = Math.abs(e - ideal);
      if (distance <= tolerance && distance < bestDistance) {
        best = e;
        bestDistance = distance;
      }
    }
    cuts.push(Math.min(n, Math.max(cuts[cuts.length - 1], best)));
  }
  cuts.push(n);
  return spans.map((_, k) => words.slice(cuts[k], cuts[k + 1]).join(' '));
}
