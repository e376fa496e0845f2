// What a project holds for one media item, in a form two projects can be compared by:
// segment spans and texts, and each annotator's labels on those spans.

import type { ProjectStore } from '../../src/core/store';

export function mediaContents(store: ProjectStore, name: string) {
  const media = store.findMediaByName(name);
  if (!media) throw new Error(`no media named ${name}`);
  const segments = store.listSegments(media.id);
  const at = new Map(segments.map((s) => [s.id, `${s.start}-${s.end}`]));
  return {
    segments: segments.map((s) => ({ start: s.start, end: s.end, text: s.text })),
    labels: store
      .listLabels(media.id)
      .map((l) => ({ span: at.get(l.segmentId), annotator: l.annotator, scheme: l.scheme, values: l.values }))
      .sort((a, b) => `${a.span}${a.annotator}${a.scheme}`.localeCompare(`${b.span}${b.annotator}${b.scheme}`)),
  };
}
