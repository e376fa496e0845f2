// The open media item's annotations: its segments (time order), labels and predictions,
// the selected segment and the segment under the playhead (whose time the transport store
// keeps), with the lookups the panels draw from. Arrays are shallow refs replaced on every
// change (never mutated), so 2,000 segments cost no deep reactivity; the local put/remove
// helpers keep them in step with what the core saved.

import { computed, ref, shallowRef, type ComputedRef, type Ref } from 'vue';
import type { ContractClient } from '../../../../shared/contract';
import type { Label, Media, MosiLabel, MvsaLabel, Prediction, Segment } from '../../../../shared/domain';

export type Scheme = 'mosi' | 'mvsa';

export function bySegmentOrder(a: Segment, b: Segment): number {
  return a.start - b.start || a.end - b.end || a.id - b.id;
}

export function createAnnotations(api: ContractClient, media: ComputedRef<Media | null>, annotator: Ref<string>, currentTime: Ref<number>) {
  const segments = shallowRef<Segment[]>([]);
  const labels = shallowRef<Label[]>([]);
  const predictions = shallowRef<Prediction[]>([]);
  const selectedId = ref<number | null>(null);
  /** The media item whose rows are loaded: rows of any other item are never put in view. */
  let loadedMediaId: number | null = null;

  const segmentById = computed(() => new Map(segments.value.map((s) => [s.id, s])));
  const scheme = computed<Scheme>(() => {
    if (media.value?.kind === 'image') return 'mvsa';
    return labels.value.some((l) => l.scheme === 'mvsa') ? 'mvsa' : 'mosi';
  });
  const labelsBySegment = computed(() => {
    const map = new Map<number, Label[]>();
    for (const label of labels.value) {
      const list = map.get(label.segmentId);
      if (list) list.push(label);
      else map.set(label.segmentId, [label]);
    }
    return map;
  });
  const predictionsBySegment = computed(() => {
    const map = new Map<number, Prediction[]>();
    for (const p of predictions.value) {
      const list = map.get(p.segmentId);
      if (list) list.push(p);
      else map.set(p.segmentId, [p]);
    }
    return map;
  });
  const selected = computed(() => (selectedId.value === null ? null : (segmentById.value.get(selectedId.value) ?? null)));
  /** The segment under the playhead (the last one starting before it, if it has not ended). */
  const segmentAtPlayhead = computed(() => {
    const list = segments.value;
    const time = currentTime.value;
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 0 && i > found - 8; i--) {
      if (list[i].start <= time && time < list[i].end) return list[i];
    }
    return null;
  });

  function myLabel(segmentId: number, which: 'mosi'): MosiLabel | null;
  function myLabel(segmentId: number, which: 'mvsa'): MvsaLabel | null;
  function myLabel(segmentId: number, which: Scheme): Label | null {
    const name = annotator.value.trim();
    return labelsBySegment.value.get(segmentId)?.find((l) => l.scheme === which && l.annotator === name) ?? null;
  }

  /** The score shown for a segment: this annotator's, else the mean of the others'. */
  function displayScore(segmentId: number): number | null {
    const list = labelsBySegment.value.get(segmentId);
    if (!list) return null;
    const mine = myLabel(segmentId, 'mosi');
    if (mine) return mine.values.score;
    const scores = list.filter((l): l is MosiLabel => l.scheme === 'mosi').map((l) => l.values.score);
    return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  }
  function isQuestionable(segmentId: number): boolean {
    return labelsBySegment.value.get(segmentId)?.some((l) => l.questionable) ?? false;
  }
  function predictedScore(segmentId: number): number | null {
    return predictionsBySegment.value.get(segmentId)?.[0]?.score ?? null;
  }

  /** This annotator's label of a segment in one scheme (the name given, not the field's current text). */
  function labelOf(segmentId: number, who: string, which: Scheme): Label | null {
    return labelsBySegment.value.get(segmentId)?.find((l) => l.scheme === which && l.annotator === who) ?? null;
  }

  // An edit saved after the user moved to another item has its rows saved in the project,
  // but they must not show up in this item's list.
  function putSegment(segment: Segment): void {
    if (segment.mediaId !== loadedMediaId) return;
    const others = segments.value.filter((s) => s.id !== segment.id);
    segments.value = [...others, segment].sort(bySegmentOrder);
  }
  function removeSegmentLocal(segmentId: number): void {
    segments.value = segments.value.filter((s) => s.id !== segmentId);
    labels.value = labels.value.filter((l) => l.segmentId !== segmentId);
    predictions.value = predictions.value.filter((p) => p.segmentId !== segmentId);
    if (selectedId.value === segmentId) selectedId.value = null;
  }
  function putLabel(label: Label): void {
    if (!segmentById.value.has(label.segmentId)) return;
    const i = labels.value.findIndex((l) => l.id === label.id);
    labels.value = i < 0 ? [...labels.value, label] : labels.value.map((l) => (l.id === label.id ? label : l));
  }
  function removeLabelLocal(labelId: number): void {
    labels.value = labels.value.filter((l) => l.id !== labelId);
  }

  /** Empties everything (another media item or project is about to load). */
  function reset(): void {
    loadedMediaId = null;
    selectedId.value = null;
    currentTime.value = 0;
    segments.value = [];
    labels.value = [];
    predictions.value = [];
  }

  /** Loads a media item's segments, labels and predictions; `stillWanted` drops a late answer. */
  async function load(id: number, stillWanted: () => boolean): Promise<void> {
    const [segs, labs, preds] = await Promise.all([
      api.invoke('segments:list', { mediaId: id }),
      api.invoke('labels:list', { mediaId: id }),
      api.invoke('predictions:list', { mediaId: id }),
    ]);
    if (!stillWanted()) return;
    loadedMediaId = id;
    segments.value = [...segs].sort(bySegmentOrder);
    labels.value = labs;
    predictions.value = preds;
  }

  // ----- selection and navigation -----

  function select(segmentId: number | null): void {
    selectedId.value = segmentId;
  }
  function neighbour(step: 1 | -1): Segment | null {
    const list = segments.value;
    if (!list.length) return null;
    const i = selectedId.value === null ? -1 : list.findIndex((s) => s.id === selectedId.value);
    if (i < 0) return step > 0 ? list[0] : list[list.length - 1];
    return list[Math.max(0, Math.min(list.length - 1, i + step))];
  }

  return {
    segments,
    labels,
    predictions,
    selectedId,
    segmentById,
    scheme,
    labelsBySegment,
    predictionsBySegment,
    selected,
    segmentAtPlayhead,
    myLabel,
    displayScore,
    isQuestionable,
    predictedScore,
    labelOf,
    putSegment,
    removeSegmentLocal,
    putLabel,
    removeLabelLocal,
    reset,
    load,
    select,
    neighbour,
  };
}

export type Annotations = ReturnType<typeof createAnnotations>;
