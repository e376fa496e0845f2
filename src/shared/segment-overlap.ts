// When two time spans are the same segment: intersection over union of at least 0.9,
// the rule used to match one annotator's segments to another's.

export const SAME_SEGMENT_IOU = 0.9;

export interface Span {
  start: number;
  end: number;
}

export function intersectionOverUnion(a: Span, b: Span): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  if (union <= 0) return a.start === b.start ? 1 : 0;
  return inter / union;
}

/** The span among `candidates` most overlapping `span`, if it reaches SAME_SEGMENT_IOU. */
export function sameSegment<S extends Span>(span: Span, candidates: readonly S[]): S | null {
  let best: S | null = null;
  let bestIou = SAME_SEGMENT_IOU;
  for (const c of candidates) {
    const iou = intersectionOverUnion(span, c);
    if (iou >= bestIou) {
      best = c;
      bestIou = iou;
    }
  }
  return best;
}
