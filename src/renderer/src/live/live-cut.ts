// What a number key does in live mode while the clip plays: label the segment under the
// playhead, or, where there is none, cut a new one from the last key press (or the end of
// the previous segment, whichever is later) up to the playhead, and label that.

import type { Segment } from '../../../shared/domain';

export type LiveTarget = { kind: 'label'; segment: Segment } | { kind: 'cut'; start: number; end: number } | { kind: 'too-short' };

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * `segments` in time order; `lastPress` the media time of the previous live key press, if
 * any (a press later than `time` — the user seeked back — does not count). A cut shorter
 * than `minLength` is refused, so a double press cannot leave a sliver.
 */
export function liveTarget(segments: readonly Segment[], time: number, lastPress: number | null, minLength: number): LiveTarget {
  let previousEnd = 0;
  for (const segment of segments) {
    if (segment.start <= time && time < segment.end) return { kind: 'label', segment };
    if (segment.end <= time) previousEnd = Math.max(previousEnd, segment.end);
  }
  const start = round3(Math.max(previousEnd, lastPress !== null && lastPress <= time ? lastPress : 0));
  const end = round3(time);
  return end - start >= minLength ? { kind: 'cut', start, end } : { kind: 'too-short' };
}
