// Segment edits that touch several rows: split, merge and restore (the undo of a delete).
// Each runs as ONE store transaction, so an undo/redo in the workspace never leaves a
// half-applied edit on disk.

import type { LabelSnapshot, RestoredSegment, SegmentSnapshot, SplitResult } from '../../shared/contract';
import type { Label, Segment } from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';
import type { ProjectStore } from '../store';

export interface SplitRequest {
  segmentId: number;
  at: number;
  /** Text of the first part; the whole text when absent. */
  firstText?: string;
  /** Text of the second part; empty when absent. */
  secondText?: string;
}

/**
 * The first part keeps the segment's id, clip id and labels; the second part is a new
 * segment without labels (its sentiment has not been judged on its own yet).
 */
export function splitSegment(store: ProjectStore, request: SplitRequest): SplitResult {
  return store.transaction(() => {
    const segment = store.getSegment(request.segmentId);
    if (!(request.at > segment.start && request.at < segment.end)) {
      throw new SentiscopeError(
        'bad-request',
        `Cannot split segment ${segment.clipId} (${segment.start.toFixed(2)}–${segment.end.toFixed(2)} s) at ` +
          `${request.at.toFixed(2)} s: move the playhead inside the segment first.`,
      );
    }
    const first = store.updateSegment(segment.id, {
      end: request.at,
      text: request.firstText ?? segment.text,
      words: segment.words?.filter((w) => w.end <= request.at) ?? null,
      // A cut does not check the outer boundaries: an estimated span stays estimated.
      aligned: segment.aligned,
    });
    const second = store.createSegment({
      mediaId: segment.mediaId,
      start: request.at,
      end: segment.end,
      source: segment.source,
      text: request.secondText ?? '',
      words: segment.words?.filter((w) => w.start >= request.at) ?? null,
      split: segment.split,
      aligned: segment.aligned,
    });
    return { first, second };
  });
}

/** Joins `nextId` into `segmentId`; the first segment's labels win, the next one's are dropped. */
export function mergeSegments(store: ProjectStore, segmentId: number, nextId: number): Segment {
  return store.transaction(() => {
    const first = store.getSegment(segmentId);
    const next = store.getSegment(nextId);
    if (first.id === next.id) throw new SentiscopeError('bad-request', 'A segment cannot be merged with itself.');
    if (first.mediaId !== next.mediaId) {
      throw new SentiscopeError(
        'bad-request',
        `Segments ${first.clipId} and ${next.clipId} belong to different media: only neighbours merge.`,
      );
    }
    const text = [first.text.trim(), next.text.trim()].filter((t) => t !== '').join(' ');
    const words = first.words || next.words ? [...(first.words ?? []), ...(next.words ?? [])] : null;
    store.deleteSegment(next.id);
    return store.updateSegment(first.id, {
      start: Math.min(first.start, next.start),
      end: Math.max(first.end, next.end),
      text,
      words,
      aligned: first.aligned && next.aligned,
    });
  });
}

function restoreLabel(store: ProjectStore, segmentId: number, label: LabelSnapshot): Label {
  const common = { segmentId, annotator: label.annotator, notes: label.notes, questionable: label.questionable };
  if (label.scheme === 'mosi') {
    if (!label.mosi) throw new SentiscopeError('bad-request', `A MOSI label snapshot (${label.annotator}) needs its mosi values.`);
    return store.setMosiLabel({ ...common, values: label.mosi });
  }
  if (!label.mvsa) throw new SentiscopeError('bad-request', `An MVSA label snapshot (${label.annotator}) needs its mvsa values.`);
  return store.setMvsaLabel({ ...common, values: label.mvsa });
}

/** Re-creates a deleted segment (same clip id, times, text) with its labels; predictions are not kept. */
export function restoreSegment(store: ProjectStore, segment: SegmentSnapshot, labels: LabelSnapshot[]): RestoredSegment {
  return store.transaction(() => {
    const restored = store.createSegment({ ...segment });
    return { segment: restored, labels: labels.map((label) => restoreLabel(store, restored.id, label)) };
  });
}
