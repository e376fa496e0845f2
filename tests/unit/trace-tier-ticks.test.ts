// Reading a trace tier back: which 10 Hz ticks an annotation holds (so the runs an export
// writes give back exactly their samples, through the millisecond times files keep), how a
// tier name says "trace", and where a set of samples is cut into takes to write.

import { describe, expect, it } from 'vitest';
import { tierRoleOf } from '../../src/shared/annotation-tiers';
import { contiguousStretches, ticksWithin, tickOf, traceRuns, type TraceSample } from '../../src/shared/trace';

/** A trace with gaps and runs, from a small deterministic generator. */
function randomTrace(seed: number, length: number): TraceSample[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const samples: TraceSample[] = [];
  let value = 0;
  for (let tick = 0; tick < length; tick++) {
    if (next() < 0.1) continue; // a gap
    if (next() < 0.3) value = Math.round((next() * 6 - 3) * 100) / 100;
    samples.push({ time: tick / 10, value });
  }
  return samples;
}

describe('trace tiers read back', () => {
  it('the ticks of [start, end): touching annotations share none, one off the grid holds the ticks inside it', () => {
    expect(ticksWithin(1000, 1200)).toEqual([10, 11]);
    expect(ticksWithin(1200, 1300)).toEqual([12]);
    expect(ticksWithin(1050, 1250)).toEqual([11, 12]);
    expect(ticksWithin(1020, 1090)).toEqual([]);
    expect(ticksWithin(0, 100)).toEqual([0]);
  });

  it('every run traceRuns writes, as ms times, gives back its samples', () => {
    for (const seed of [1, 7, 42]) {
      const samples = randomTrace(seed, 3000);
      const back = traceRuns(samples).flatMap((run) =>
        ticksWithin(Math.round(run.start * 1000), Math.round(run.end * 1000)).map((tick) => ({ time: tick / 10, value: run.value })),
      );
      expect(back).toEqual(samples);
    }
  });

  it('a tier named "<annotator> trace" is a trace, with no lanes', () => {
    expect(tierRoleOf('ann_a trace')).toEqual({ kind: 'trace', annotator: 'ann_a' });
    expect(tierRoleOf('ann b trace')).toEqual({ kind: 'trace', annotator: 'ann b' });
    expect(tierRoleOf('ann_a trace 2')).toBeNull();
    expect(tierRoleOf('trace')).toBeNull();
    expect(tierRoleOf('ann_a score 2')).toMatchObject({ kind: 'label', field: 'score', lane: 2 });
  });

  it('samples are cut into stretches where the grid has a gap', () => {
    const at = (...ticks: number[]) => ticks.map((tick) => ({ time: tick / 10, value: 1 }));
    expect(contiguousStretches(at(0, 1, 2, 5, 6, 9)).map((s) => s.map((x) => tickOf(x.time)))).toEqual([[0, 1, 2], [5, 6], [9]]);
    expect(contiguousStretches([])).toEqual([]);
  });
});
