// The rating-trace CSV (live mode's continuous ratings): one row per sample,
//   media,time_s,annotator,value
// media is the media item's name, time_s seconds on the 10 Hz grid (one decimal), value the
// rating in [-3, 3] (4 decimals). Rows by media, then annotator, then time.

import { formatCsv } from '../../shared/csv';
import { formatTraceTime, formatTraceValue, type Trace } from '../../shared/trace';

export const TRACE_CSV_COLUMNS = ['media', 'time_s', 'annotator', 'value'] as const;

export interface NamedTrace {
  media: string;
  trace: Trace;
}

export function formatTraceCsv(traces: readonly NamedTrace[]): { text: string; rows: number } {
  const rows = traces.flatMap(({ media, trace }) =>
    trace.samples.map((s) => [media, formatTraceTime(s.time), trace.annotator, formatTraceValue(s.value)]),
  );
  return { text: formatCsv(TRACE_CSV_COLUMNS, rows), rows: rows.length };
}
