// Live mode's rating traces as ELAN tiers: per annotator one `<annotator> trace` tier whose
// annotations are the runs of equal values (a held key is one annotation, a moving mouse
// one per 0.1 s sample), so the tier shows the trace at the right times without a point per
// sample where nothing changed.

import { traceTierName, type AnnotationTier } from '../../shared/annotation-tiers';
import { formatTraceValue, traceRuns } from '../../shared/trace';
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
