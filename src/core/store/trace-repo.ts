// Rating traces (live mode's continuous ratings): per media item and annotator, one value per
// tick of the 10 Hz grid. A take replaces what was there over its own stretch of time, and
// hands back what it replaced, so the page can undo it by writing that back.

import { TRACE_HZ, TRACE_MAX, TRACE_MIN, tickOf, timeOfTick, type Trace, type TraceSample } from '../../shared/trace';
import type { StoreContext } from './store-context';

export interface TraceReplace {
  mediaId: number;
  annotator: string;
  /** Seconds: every sample with start <= time <= end is replaced by `samples`. */
  start: number;
  end: number;
  samples: readonly TraceSample[];
}

interface TraceRow {
  media_id: number;
  annotator: string;
  tick: number;
  value: number;
}

function toSample(row: Pick<TraceRow, 'tick' | 'value'>): TraceSample {
  return { time: timeOfTick(row.tick), value: row.value };
}

export class TraceRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Every annotator's trace of a media item, by annotator name. */
  listForMedia(mediaId: number): Trace[] {
    const rows = this.ctx
      .stmt(`SELECT annotator, tick, value FROM trace_sample WHERE media_id = ? ORDER BY annotator, tick`)
      .all(mediaId) as TraceRow[];
    const traces: Trace[] = [];
    for (const row of rows) {
      let last = traces.at(-1);
      if (last?.annotator !== row.annotator) traces.push((last = { mediaId, annotator: row.annotator, samples: [] }));
      last.samples.push(toSample(row));
    }
    return traces;
  }

  get(mediaId: number, annotator: string): Trace {
    const rows = this.ctx
      .stmt(`SELECT tick, value FROM trace_sample WHERE media_id = ? AND annotator = ? ORDER BY tick`)
      .all(mediaId, annotator) as TraceRow[];
    return { mediaId, annotator, samples: rows.map(toSample) };
  }

  /** Checks every sample first, then replaces the stretch in one transaction; returns what was there. */
  replace(input: TraceReplace, requireMedia: (id: number) => void): TraceSample[] {
    const annotator = typeof input.annotator === 'string' ? input.annotator.trim() : '';
    if (annotator === '') throw this.ctx.badInput('A trace needs the annotator name');
    const [from, to] = [tickOf(input.start), tickOf(input.end)];
    if (!(Number.isFinite(input.start) && Number.isFinite(input.end)) || from < 0 || to < from) {
      throw this.ctx.badInput(`A trace take needs 0 <= start <= end (got ${input.start}..${input.end} s)`);
    }
    const ticks = new Set<number>();
    for (const [i, sample] of input.samples.entries()) {
      const tick = tickOf(sample.time);
      if (!Number.isFinite(sample.time) || Math.abs(sample.time * TRACE_HZ - tick) > 1e-6) {
        throw this.ctx.badInput(`Trace sample ${i + 1} is at ${sample.time} s, which is not on the ${TRACE_HZ} Hz grid`);
      }
      if (tick < from || tick > to) {
        throw this.ctx.badInput(`Trace sample ${i + 1} at ${sample.time} s is outside the take (${input.start}..${input.end} s)`);
      }
      if (ticks.has(tick)) throw this.ctx.badInput(`Trace sample ${i + 1} at ${sample.time} s is given twice`);
      if (!(sample.value >= TRACE_MIN && sample.value <= TRACE_MAX)) {
        throw this.ctx.badInput(`Trace sample ${i + 1} has value ${sample.value}, outside ${TRACE_MIN}..${TRACE_MAX}`);
      }
      ticks.add(tick);
    }
    return this.ctx.transaction(() => {
      requireMedia(input.mediaId);
      const previous = this.ctx
        .stmt(`SELECT tick, value FROM trace_sample WHERE media_id = ? AND annotator = ? AND tick BETWEEN ? AND ? ORDER BY tick`)
        .all(input.mediaId, annotator, from, to) as TraceRow[];
      this.ctx
        .stmt(`DELETE FROM trace_sample WHERE media_id = ? AND annotator = ? AND tick BETWEEN ? AND ?`)
        .run(input.mediaId, annotator, from, to);
      const insert = this.ctx.stmt(`INSERT INTO trace_sample (media_id, annotator, tick, value) VALUES (?, ?, ?, ?)`);
      for (const sample of input.samples) insert.run(input.mediaId, annotator, tickOf(sample.time), sample.value);
      return previous.map(toSample);
    });
  }
}
