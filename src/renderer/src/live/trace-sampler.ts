// The continuous rating's sampler (CARMA style): it reads the media clock, not the wall
// clock, so a take holds one sample per 0.1 s of media whatever the playback speed, and
// every grid tick the playhead passes gets the value held at that moment. A seek (the clock
// going back, or jumping more than a second) ends the take; the caller saves it and starts
// another.

import { TRACE_HZ, clampTraceValue, timeOfTick, type TraceSample } from '../../../shared/trace';

/** More grid steps than this between two readings is a seek, not playback. */
const MAX_STEP_TICKS = TRACE_HZ;

export interface TraceTake {
  /** Seconds: the first and last sample's times (the span the take replaces). */
  start: number;
  end: number;
  samples: TraceSample[];
}

export class TraceSampler {
  private samples: TraceSample[] = [];
  private lastTick: number | null = null;

  /**
   * Samples `value` at every grid tick up to `time` not sampled yet. Returns false, recording
   * nothing, when the clock went back or jumped: the take is over.
   */
  advance(time: number, value: number): boolean {
    // The tick the playhead has reached (a hair of slack for 0.30000000000000004).
    const tick = Math.floor(time * TRACE_HZ + 1e-6);
    const held = clampTraceValue(value);
    if (this.lastTick === null) {
      this.samples.push({ time: timeOfTick(tick), value: held });
      this.lastTick = tick;
      return true;
    }
    if (tick < this.lastTick || tick - this.lastTick > MAX_STEP_TICKS) return false;
    for (let k = this.lastTick + 1; k <= tick; k++) this.samples.push({ time: timeOfTick(k), value: held });
    this.lastTick = tick;
    return true;
  }

  /** The samples so far (for drawing the take as it is recorded). */
  get recorded(): readonly TraceSample[] {
    return this.samples;
  }

  /** Ends the take: what was recorded (null when nothing was), and a fresh start. */
  finish(): TraceTake | null {
    const samples = this.samples;
    this.samples = [];
    this.lastTick = null;
    if (!samples.length) return null;
    return { start: samples[0].time, end: samples[samples.length - 1].time, samples };
  }
}
