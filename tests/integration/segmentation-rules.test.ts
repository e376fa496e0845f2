// The rules that turn speech probabilities into segments (hysteresis, padding, joining,
// splitting), and segments from transcript cues parsed from a real SRT text.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VAD_OPTIONS,
  segmentsFromCues,
  speechRegions,
  utteranceSegments,
  type VadOptions,
} from '../../src/core/analysis/segmentation/index';
import { parseTranscript } from '../../src/core/io/transcripts';

const W = 0.032;
/** Probabilities from [seconds, p] runs. */
function probabilities(runs: [number, number][]): Float32Array {
  const out: number[] = [];
  for (const [seconds, p] of runs) for (let i = 0; i < Math.round(seconds / W); i++) out.push(p);
  return Float32Array.from(out);
}
const samplesOf = (p: Float32Array) => p.length * 512;
const options = (o: Partial<VadOptions> = {}): VadOptions => ({ ...DEFAULT_VAD_OPTIONS, ...o });

describe('speech regions', () => {
  it('opens at threshold, rides over dips above negThreshold and short silences, pads each side', () => {
    // 1 s silence, 2 s speech with a 0.4 dip (above 0.35) and a 64 ms silence, 1 s silence.
    const p = probabilities([
      [0.992, 0.05],
      [0.992, 0.9],
      [0.32, 0.4],
      [0.064, 0.1],
      [0.64, 0.9],
      [0.992, 0.05],
    ]);
    const regions = speechRegions(p, samplesOf(p), options({ speechPadMs: 30 }));
    expect(regions).toHaveLength(1);
    expect(regions[0].start).toBeCloseTo(0.992 - 0.03, 3);
    expect(regions[0].end).toBeCloseTo(0.992 + 0.992 + 0.32 + 0.064 + 0.64 + 0.03, 3);
  });

  it('ends speech after minSilenceMs and drops bursts shorter than minSpeechMs', () => {
    const p = probabilities([
      [0.992, 0.9],
      [0.32, 0.1],
      [0.128, 0.9],
      [0.32, 0.1],
      [0.992, 0.9],
    ]);
    const regions = speechRegions(p, samplesOf(p), options({ minSilenceMs: 100, minSpeechMs: 250, speechPadMs: 0 }));
    expect(regions.map((r) => [+r.start.toFixed(3), +r.end.toFixed(3)])).toEqual([
      [0, 0.992],
      [1.76, 2.752],
    ]);
  });

  it('shares a gap narrower than two pads half and half', () => {
    const p = probabilities([
      [0.992, 0.9],
      [0.128, 0.1],
      [0.992, 0.9],
    ]);
    const [a, b] = speechRegions(p, samplesOf(p), options({ minSilenceMs: 50, speechPadMs: 100 }));
    expect(a.end).toBeCloseTo(b.start, 6);
    expect(a.end).toBeCloseTo(0.992 + 0.064, 3);
  });
});

describe('utterance segments', () => {
  const flat = probabilities([[60, 0.9]]);

  it('joins short regions across short pauses towards the target length', () => {
    const regions = [
      { start: 0, end: 1.5 },
      { start: 2, end: 3.5 },
      { start: 4, end: 5.5 },
      { start: 6, end: 7.5 },
    ];
    const segments = utteranceSegments(regions, flat, options());
    expect(segments.map((s) => [s.start, s.end])).toEqual([
      [0, 3.5],
      [4, 7.5],
    ]);
  });

  it('never joins across a pause longer than mergeGapS', () => {
    const segments = utteranceSegments(
      [
        { start: 0, end: 1 },
        { start: 4, end: 5 },
      ],
      flat,
      options(),
    );
    expect(segments).toHaveLength(2);
  });

  it('splits long speech at its quietest point and drops fragments', () => {
    const p = probabilities([
      [7, 0.95],
      [0.064, 0.3],
      [7, 0.95],
    ]);
    const segments = utteranceSegments(
      [
        { start: 0, end: 14.064 },
        { start: 20, end: 20.3 },
      ],
      p,
      options(),
    );
    expect(segments).toHaveLength(2);
    // The quiet window is window round(7 / 0.032) = 219; the cut is at its centre.
    expect(segments[0].end).toBeCloseTo(219.5 * W, 6);
    expect(segments[1].start).toBe(segments[0].end);
    for (const s of segments) expect(s.end - s.start).toBeLessThanOrEqual(DEFAULT_VAD_OPTIONS.maxSegmentS);
  });

  it('splits 60 s of unbroken speech into pieces no longer than maxSegmentS', () => {
    const segments = utteranceSegments([{ start: 0, end: 60 }], flat, options());
    expect(segments.length).toBeGreaterThanOrEqual(6);
    expect(segments[0].start).toBe(0);
    expect(segments.at(-1)!.end).toBe(60);
    for (const s of segments) {
      expect(s.end - s.start).toBeLessThanOrEqual(10);
      expect(s.end - s.start).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('segments from transcript cues', () => {
  const srt = `1
00:00:01,000 --> 00:00:04,500
anyhow it was <i>really</i> good

3
00:00:06,000 --> 00:00:06,400
yes

2
00:00:04,600 --> 00:00:05,800
they didnt really do a whole bunch

4
00:00:09,000 --> 00:00:09,000
empty span
`;

  it('orders cues, drops zero-length ones and keeps the text', () => {
    const segments = segmentsFromCues(parseTranscript(srt, 'talk.srt'));
    expect(segments).toEqual([
      { start: 1, end: 4.5, text: 'anyhow it was really good' },
      { start: 4.6, end: 5.8, text: 'they didnt really do a whole bunch' },
      { start: 6, end: 6.4, text: 'yes' },
    ]);
  });

  it('optionally joins very short cues into their neighbour', () => {
    const segments = segmentsFromCues(parseTranscript(srt, 'talk.srt'), { mergeShorterThanS: 0.5 });
    expect(segments).toHaveLength(2);
    expect(segments[1]).toEqual({ start: 4.6, end: 6.4, text: 'they didnt really do a whole bunch yes' });
  });
});
