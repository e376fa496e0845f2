// Live mode's rating traces as tiers of ELAN and Praat files, both ways. Writing: per
// annotator one `<annotator> trace` tier whose annotations are the runs of equal values (a
// held key is one annotation, a moving mouse one per 0.1 s sample), so the tier shows the
// trace at the right times without a point per sample where nothing changed. Reading: each
// annotation gives the value to every 10 Hz tick whose time falls inside it, which gives
// back exactly the samples the runs were made of.

import { traceTierName, type AnnotationTier, type TimedValue } from '../../shared/annotation-tiers';
import { TRACE_HZ, TRACE_MAX, TRACE_MIN, formatTraceValue, ticksWithin, timeOfTick, traceRuns, type TraceSample } from '../../shared/trace';
import { parseNumberCell, type FileProblems } from '../io/file-problems';
import type { ProjectStore } from '../store';

export function traceTiersOfMedia(store: ProjectStore, mediaId: number, annotator?: string): AnnotationTier[] {
  return store
    .listTraces(mediaId)
    .filter((trace) => trace.samples.length > 0 && (!annotator || trace.annotator === annotator))
    .map((trace) => ({
      name: traceTierName(trace.annotator),
      role: { kind: 'trace' as const, annotator: trace.annotator },
      annotations: traceRuns(trace.samples).map((run) => ({ start: run.start, end: run.end, value: formatTraceValue(run.value) })),
    }));
}

/**
 * The samples one trace annotation holds; a value outside -3..+3, a time before 0 or an
 * annotation too short to hold a tick is recorded in `problems` (naming `where`) and gives none.
 */
export function samplesOfTraceAnnotation(annotation: TimedValue & { line: number }, where: string, problems: FileProblems): TraceSample[] {
  const text = annotation.value.trim();
  const value = parseNumberCell(text);
  if (value === undefined || !(value >= TRACE_MIN && value <= TRACE_MAX)) {
    problems.add(annotation.line, `${where}: "${text}" is not a trace value in [${TRACE_MIN}, ${TRACE_MAX}]`);
    return [];
  }
  if (annotation.start < 0) {
    problems.add(annotation.line, `${where}: a trace starts at 0 s or later`);
    return [];
  }
  const ticks = ticksWithin(Math.round(annotation.start * 1000), Math.round(annotation.end * 1000));
  if (!ticks.length) {
    problems.add(
      annotation.line,
      `${where}: too short to hold a sample of the ${TRACE_HZ} Hz grid (no multiple of ${1 / TRACE_HZ} s falls inside it)`,
    );
    return [];
  }
  // `+ 0`: a "-0.0000" in the file is the value 0.
  return ticks.map((tick) => ({ time: timeOfTick(tick), value: value + 0 }));
}
