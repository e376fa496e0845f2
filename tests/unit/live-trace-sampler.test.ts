// Live mode's pure rules: the trace sampler (10 samples per second of media time at any
// speed, the value held at each tick, a seek ends the take), the runs of equal values an
// ELAN tier is made of, and the cut-on-keypress rule.

import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/shared/domain';
import { traceRuns } from '../../src/shared/trace';
import { liveTarget } from '../../src/renderer/src/live/live-cut';
import { TraceSampler } from '../../src/renderer/src/live/trace-sampler';

/** Reads the media clock as animation frames would: every `frameMs` of wall time at `rate`. */
function play(sampler: TraceSampler, from: number, seconds: number, rate: number, value: (t: number) => number, frameMs = 1000 / 60) {
  const frames = Math.round((seconds * 1000) / frameMs);
  for (let f = 0; f <= frames; f++) {
    const time = from + ((f * frameMs) / 1000) * rate;
    expect(sampler.advance(time, value(time))).toBe(true);
  }
}

describe('TraceSampler', () => {
  it('takes 10 samples per second of media time on the grid, at normal and at half speed', () => {
    for (const rate of [1, 0.5, 0.75]) {
      const sampler = new TraceSampler();
      play(sampler, 1.03, 4 / rate, rate, () => 1); // 4 s of media
      const take = sampler.finish()!;
      expect(take.samples).toHaveLength(41); // ticks 10..50
      expect(take.start).toBe(1);
      expect(take.end).toBe(5);
      expect(take.samples.map((s) => s.time)).toEqual(Array.from({ length: 41 }, (_, k) => (10 + k) / 10));
    }
  });

  it('holds the value read at the moment each tick is passed, clamped to -3..+3', () => {
    const sampler = new TraceSampler();
    play(sampler, 0, 1, 1, (t) => (t < 0.5 ? -1 : 5), 50);
    expect(sampler.finish()!.samples.map((s) => s.value)).toEqual([-1, -1, -1, -1, -1, 3, 3, 3, 3, 3, 3]);
  });

  it('fills the ticks between two slow readings (a frame late) with the value held', () => {
    const sampler = new TraceSampler();
    sampler.advance(0.0, 0);
    sampler.advance(0.35, 2);
    expect(sampler.recorded.map((s) => [s.time, s.value])).toEqual([
      [0, 0],
      [0.1, 2],
      [0.2, 2],
      [0.3, 2],
    ]);
  });

  it('ends the take on a seek back or a jump of more than a second, recording nothing of it', () => {
    const sampler = new TraceSampler();
    sampler.advance(2, 1);
    sampler.advance(2.2, 1);
    expect(sampler.advance(1.0, 1)).toBe(false);
    expect(sampler.advance(4.0, 1)).toBe(false);
    expect(sampler.finish()).toEqual({
      start: 2,
      end: 2.2,
      samples: [
        { time: 2, value: 1 },
        { time: 2.1, value: 1 },
        { time: 2.2, value: 1 },
      ],
    });
    expect(sampler.finish()).toBeNull();
    // After finish it starts afresh wherever the clock is.
    expect(sampler.advance(7.04, -2)).toBe(true);
    expect(sampler.recorded).toEqual([{ time: 7, value: -2 }]);
  });
});

describe('traceRuns', () => {
  it('joins equal neighbours into [start, end) runs and breaks at gaps', () => {
    const samples = [0, 0.1, 0.2, 0.3, 0.6, 0.7].map((time, i) => ({ time, value: [1, 1, 2, 2, 2, -1][i] }));
    expect(traceRuns(samples)).toEqual([
      { start: 0, end: 0.2, value: 1 },
      { start: 0.2, end: 0.4, value: 2 },
      { start: 0.6, end: 0.7, value: 2 },
      { start: 0.7, end: 0.8, value: -1 },
    ]);
    expect(traceRuns([])).toEqual([]);
  });
});

function segment(id: number, start: number, end: number): Segment {
  return { id, mediaId: 1, clipId: String(id), start, end, source: 'manual', text: '', words: null, split: null, aligned: true };
}

describe('liveTarget (cut on key press)', () => {
  const segments = [segment(1, 2, 3), segment(2, 5, 6)];

  it('labels the segment under the playhead', () => {
    expect(liveTarget(segments, 2.5, null, 0.05)).toEqual({ kind: 'label', segment: segments[0] });
    expect(liveTarget(segments, 5, 5.5, 0.05)).toEqual({ kind: 'label', segment: segments[1] });
  });

  it('cuts from the start of the media, the end of the previous segment or the last key press, whichever is latest', () => {
    expect(liveTarget([], 1.5, null, 0.05)).toEqual({ kind: 'cut', start: 0, end: 1.5 });
    expect(liveTarget(segments, 1.2, null, 0.05)).toEqual({ kind: 'cut', start: 0, end: 1.2 });
    expect(liveTarget(segments, 4.2, null, 0.05)).toEqual({ kind: 'cut', start: 3, end: 4.2 });
    expect(liveTarget(segments, 4.2, 3.6, 0.05)).toEqual({ kind: 'cut', start: 3.6, end: 4.2 });
    // A press inside the previous segment: the cut starts where that segment ends.
    expect(liveTarget(segments, 4.2, 2.5, 0.05)).toEqual({ kind: 'cut', start: 3, end: 4.2 });
    // A press later than now (the user seeked back) does not count.
    expect(liveTarget(segments, 4.2, 4.8, 0.05)).toEqual({ kind: 'cut', start: 3, end: 4.2 });
    expect(liveTarget(segments, 7.12345, 6.5, 0.05)).toEqual({ kind: 'cut', start: 6.5, end: 7.123 });
  });

  it('refuses a cut shorter than the shortest segment', () => {
    expect(liveTarget(segments, 3.02, null, 0.05)).toEqual({ kind: 'too-short' });
    expect(liveTarget([], 1.5, 1.48, 0.05)).toEqual({ kind: 'too-short' });
  });
});
