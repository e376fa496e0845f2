// Segments from a transcript's timings (SRT/VTT cues from parseTranscript, or rows of a
// segments CSV): each cue is an utterance already, so they are only cleaned and ordered;
// joining very short cues (one-word subtitles) is optional.

import type { Cue } from '../../../shared/subtitles';

export interface CueSegment {
  start: number;
  end: number;
  text: string;
}

export interface CueSegmentOptions {
  /** Join a cue shorter than this (s) into its neighbour; 0 (default) keeps every cue. */
  mergeShorterThanS?: number;
  /** Longest pause across which short cues are joined (s). */
  mergeGapS?: number;
  /** A join never makes a segment longer than this (s). */
  maxSegmentS?: number;
}

/**
 * Cues -> segments sorted by start. Cues with no duration or non-finite times are dropped;
 * text is trimmed (empty text is kept: the span is still speech). Joined cues' texts are
 * separated by one space.
 */
export function segmentsFromCues(cues: readonly Cue[], options: CueSegmentOptions = {}): CueSegment[] {
  const { mergeShorterThanS = 0, mergeGapS = 1, maxSegmentS = 10 } = options;
  const sorted = cues
    .filter((c) => Number.isFinite(c.start) && Number.isFinite(c.end) && c.end > c.start && c.start >= 0)
    .map((c) => ({ start: c.start, end: c.end, text: c.text.trim() }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (!(mergeShorterThanS > 0)) return sorted;

  const out: CueSegment[] = [];
  for (const cue of sorted) {
    const last = out[out.length - 1];
    const short = (s: CueSegment) => s.end - s.start < mergeShorterThanS;
    if (
      last &&
      (short(last) || short(cue)) &&
      cue.start - last.end <= mergeGapS &&
      Math.max(last.end, cue.end) - last.start <= maxSegmentS
    ) {
      last.end = Math.max(last.end, cue.end);
      last.text = [last.text, cue.text].filter(Boolean).join(' ');
    } else {
      out.push({ ...cue });
    }
  }
  return out;
}
