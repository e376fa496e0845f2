// A continuous rating trace (CARMA style): one annotator's -3..+3 value over a media item's
// time, sampled at TRACE_HZ on the media clock. Samples sit on a fixed grid (tick k is at
// k / TRACE_HZ seconds), so two takes over the same stretch meet sample for sample and a
// later take replaces an earlier one exactly where it was recorded.

import { fixedDecimals } from './fixed-decimals';

export const TRACE_HZ = 10;
export const TRACE_MIN = -3;
export const TRACE_MAX = 3;

export interface TraceSample {
  /** Seconds of media time, on the TRACE_HZ grid. */
  time: number;
  value: number;
}

/** One annotator's trace of one media item, samples in time order. */
export interface Trace {
  mediaId: number;
  annotator: string;
  samples: TraceSample[];
}

/** A run of equal values: [start, end) seconds, as one ELAN annotation. */
export interface TraceRun {
  start: number;
  end: number;
  value: number;
}

/** The grid index of a time (the nearest tick). */
export function tickOf(time: number): number {
  return Math.round(time * TRACE_HZ);
}

export function timeOfTick(tick: number): number {
  return tick / TRACE_HZ;
}

export function clampTraceValue(value: number): number {
  return Math.max(TRACE_MIN, Math.min(TRACE_MAX, value));
}

/** How a value is written to files: 4 decimals, as MOSI scores. */
export function formatTraceValue(value: number): string {
  return fixedDecimals(value, 4);
}

/** Seconds as written to files: the grid has one decimal at 10 Hz. */
export function formatTraceTime(time: number): string {
  return fixedDecimals(time, 1);
}

/**
 * Consecutive samples with the same value joined into runs; each sample covers one grid
 * step (1 / TRACE_HZ s), and a gap in the samples ends a run.
 */
export function traceRuns(samples: readonly TraceSample[]): TraceRun[] {
  const runs: TraceRun[] = [];
  let open: { startTick: number; endTick: number; value: number } | null = null;
  for (const sample of samples) {
    const tick = tickOf(sample.time);
    if (open && open.value === sample.value && tick === open.endTick) {
      open.endTick = tick + 1;
      continue;
    }
    if (open) runs.push({ start: timeOfTick(open.startTick), end: timeOfTick(open.endTick), value: open.value });
    open = { startTick: tick, endTick: tick + 1, value: sample.value };
  }
  if (open) runs.push({ start: timeOfTick(open.startTick), end: timeOfTick(open.endTick), value: open.value });
  return runs;
}

/**
 * The grid ticks an annotation [startMs, endMs) holds: every tick whose time falls inside
 * it, so the runs traceRuns writes give back their samples exactly, and touching
 * annotations never share a tick. Integer milliseconds, so no float rounding decides.
 */
export function ticksWithin(startMs: number, endMs: number): number[] {
  const step = 1000 / TRACE_HZ;
  const ticks: number[] = [];
  for (let tick = Math.ceil(startMs / step); tick * step < endMs; tick++) ticks.push(tick);
  return ticks;
}

/** Samples in time order cut where the grid has a gap: each stretch is one take to write. */
export function contiguousStretches(samples: readonly TraceSample[]): TraceSample[][] {
  const stretches: TraceSample[][] = [];
  for (const sample of samples) {
    const last = stretches.at(-1);
    if (last && tickOf(sample.time) === tickOf(last.at(-1)!.time) + 1) last.push(sample);
    else stretches.push([sample]);
  }
  return stretches;
}
