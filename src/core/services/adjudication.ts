// Adjudication: the segments several annotators labelled, largest disagreement first, each
// with every annotator's label and the adjudicator's final one, which is stored as a role of
// its own (never over an annotator's label). `export --aggregate adjudicated` reads it.

import type { Adjudication, Label, MosiLabelValues, MvsaLabelValues, ReviewItem } from '../../shared/domain';

export type { ReviewItem };
import { itemSpread } from '../../shared/agreement/report';
import { mvsaPairOf } from '../../shared/label-aggregation';
import { SentiscopeError } from '../../shared/errors';
import type { ProjectStore } from '../store';

export type AdjudicationScheme = 'mosi' | 'mvsa';

function spreadOf(labels: readonly Label[]): number {
  if (labels[0]?.scheme === 'mosi')
    return itemSpread(
      labels.map((l) => (l.scheme === 'mosi' ? l.values.score : 0)),
      'interval',
    );
  return itemSpread(
    labels.map((l) => (l.scheme === 'mvsa' ? (mvsaPairOf(l) ?? 'none') : 'none')),
    'nominal',
  );
}

/** Segments labelled by two or more annotators in `scheme`, largest spread first (then media, time). */
export function reviewQueue(store: ProjectStore, request: { scheme: AdjudicationScheme; mediaIds?: number[] }): ReviewItem[] {
  const media = request.mediaIds ? request.mediaIds.map((id) => store.getMedia(id)) : store.listMedia();
  const items: ReviewItem[] = [];
  for (const item of media) {
    const labels = store.listLabels(item.id).filter((l) => l.scheme === request.scheme);
    const adjudications = store.listAdjudications(item.id).filter((a) => a.scheme === request.scheme);
    for (const segment of store.listSegments(item.id)) {
      const own = labels.filter((l) => l.segmentId === segment.id);
      if (own.length < 2) continue;
      items.push({
        mediaId: item.id,
        media: item.name,
        segmentId: segment.id,
        clipId: segment.clipId,
        start: segment.start,
        end: segment.end,
        text: segment.text,
        spread: spreadOf(own),
        labels: own,
        adjudication: adjudications.find((a) => a.segmentId === segment.id) ?? null,
      });
    }
  }
  // A stable sort keeps media and time order among equal spreads.
  return items.sort((a, b) => b.spread - a.spread);
}

export type AdjudicateRequest =
  | { segmentId: number; adjudicator: string; scheme: 'mosi'; values: MosiLabelValues; notes?: string }
  | { segmentId: number; adjudicator: string; scheme: 'mvsa'; values: MvsaLabelValues; notes?: string };

/**
 * Sets (or replaces) the segment's adjudicated label; annotators' labels are left as they are.
 * MVSA is decided per field: a side left null is not decided, and export keeps the
 * annotators' majority there. A decision of no field at all is refused (clear it instead).
 */
export function adjudicate(store: ProjectStore, request: AdjudicateRequest): Adjudication {
  if (request.scheme === 'mosi') return store.setMosiAdjudication(request);
  const { text, image, pair } = request.values;
  if (text === null && image === null && pair === null) {
    throw new SentiscopeError(
      'bad-request',
      `An MVSA adjudication of segment ${request.segmentId} decides no field: set text, image or pair, or clear it.`,
      store.path,
    );
  }
  return store.setMvsaAdjudication(request);
}

/** Removes the adjudicated label (undo of a first adjudication). */
export function clearAdjudication(store: ProjectStore, request: { segmentId: number; scheme: AdjudicationScheme }): void {
  store.deleteAdjudication(request.segmentId, request.scheme);
}
