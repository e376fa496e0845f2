// Exporting live mode's rating traces as their own CSV (io/trace-csv.ts): every sample of
// the chosen media (all when none named) and annotator (all when none named).

import { formatTraceCsv, type NamedTrace } from '../io/trace-csv';
import type { ProjectStore } from '../store';

export function exportTraceCsv(store: ProjectStore, mediaIds?: number[], annotator?: string): { text: string; rows: number } {
  const media = mediaIds ? mediaIds.map((id) => store.getMedia(id)) : store.listMedia();
  const traces: NamedTrace[] = media.flatMap((item) =>
    store
      .listTraces(item.id)
      .filter((trace) => !annotator || trace.annotator === annotator)
      .map((trace) => ({ media: item.name, trace })),
  );
  return formatTraceCsv(traces);
}
