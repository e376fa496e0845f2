// The workspace state: the open project, the selected media item with its segments,
// labels and predictions, and every edit as an undoable command saved at once through
// the contract. Components read from here and call its actions; none talk to the core.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  ExportFormat,
  LabelSnapshot,
  OpenProject,
  SegmentSnapshot,
  WaveformPeaks,
} from '../../../shared/contract';
import type {
  Label,
  Media,
  MosiLabel,
  MosiLabelValues,
  MvsaLabel,
  MvsaLabelValues,
  Prediction,
  Segment,
} from '../../../shared/domain';
import { SentiscopeError } from '../../../shared/errors';
import { useContractClient } from '../api/client';
import { CommandHistory, HISTORY_LIMIT, SegmentIds, type Command } from '../commands/history';
import { t } from '../i18n';
import { clampScore } from '../util/format';

const ANNOTATOR_KEY = 'sentiscope.annotator';
const LAST_MEDIA_KEY = 'sentiscope.lastMedia';
const NUDGE = 0.05;
/** The shortest segment a drag or a nudge may leave. */
export const MIN_SEGMENT = 0.05;

export type Scheme = 'mosi' | 'mvsa';
type LabelExtras = { notes?: string; questionable?: boolean };

function bySegmentOrder(a: Segment, b: Segment): number {
  return a.start - b.start || a.end - b.end || a.id - b.id;
}

function messageOf(err: unknown): string {
  if (err instanceof SentiscopeError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function snapshotOf(segment: Segment): SegmentSnapshot {
  const { mediaId, clipId, start, end, source, text, words, split } = segment;
  return { mediaId, clipId, start, end, source, text, words, split };
}

function labelSnapshotOf(label: Label): LabelSnapshot {
  return {
    annotator: label.annotator,
    scheme: label.scheme,
    mosi: label.scheme === 'mosi' ? { ...label.values } : null,
    mvsa: label.scheme === 'mvsa' ? { ...label.values } : null,
    notes: label.notes,
    questionable: label.questionable,
  };
}

/** Splits text at the word nearest to `fraction` of its length (the playhead's place in the span). */
export function splitText(text: string, fraction: number): [string, string] {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const k = Math.max(0, Math.min(words.length, Math.round(words.length * fraction)));
  return [words.slice(0, k).join(' '), words.slice(k).join(' ')];
}

export const useWorkspace = defineStore('workspace', () => {
  const api = useContractClient();

  const project = ref<OpenProject | null>(null);
  const mediaList = shallowRef<Media[]>([]);
  const mediaId = ref<number | null>(null);
  const segments = shallowRef<Segment[]>([]);
  const labels = shallowRef<Label[]>([]);
  const predictions = shallowRef<Prediction[]>([]);
  const peaks = shallowRef<WaveformPeaks | null>(null);
  const peaksLoading = ref(false);
  const selectedId = ref<number | null>(null);
  const currentTime = ref(0);
  const annotator = ref(globalThis.localStorage?.getItem(ANNOTATOR_KEY) ?? '');
  const error = ref<string | null>(null);
  const notice = ref<string | null>(null);
  const busy = ref(0);
  const helpOpen = ref(false);
  /** Set by the transcript panel: which segment's text is being edited. */
  const editingId = ref<number | null>(null);

  const ids = new SegmentIds();
  const historyVersion = ref(0);
  const history = new CommandHistory(HISTORY_LIMIT, () => historyVersion.value++);

  // ----- derived state -----

  const media = computed(() => mediaList.value.find((m) => m.id === mediaId.value) ?? null);
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
  const playing = computed(() => {
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
  const canUndo = computed(() => (historyVersion.value, history.canUndo));
  const canRedo = computed(() => (historyVersion.value, history.canRedo));

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

  // ----- plumbing -----

  async function guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value++;
    try {
      return await work();
    } catch (err) {
      error.value = messageOf(err);
      return undefined;
    } finally {
      busy.value--;
    }
  }

  function putSegment(segment: Segment): void {
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
    const i = labels.value.findIndex((l) => l.id === label.id);
    labels.value = i < 0 ? [...labels.value, label] : labels.value.map((l) => (l.id === label.id ? label : l));
  }
  function removeLabelLocal(labelId: number): void {
    labels.value = labels.value.filter((l) => l.id !== labelId);
  }

  function requireAnnotator(): string | null {
    const name = annotator.value.trim();
    if (name === '') {
      error.value = t('annotatorMissing');
      return null;
    }
    return name;
  }

  function setAnnotator(name: string): void {
    annotator.value = name;
    globalThis.localStorage?.setItem(ANNOTATOR_KEY, name.trim());
  }

  // ----- project and media -----

  async function init(): Promise<void> {
    await guard(async () => {
      project.value = await api.invoke('project:current', undefined);
      if (!project.value) return;
      await refreshMedia();
      const last = Number(globalThis.localStorage?.getItem(LAST_MEDIA_KEY));
      if (mediaList.value.some((m) => m.id === last)) await selectMedia(last);
    });
  }

  async function openProject(path: string): Promise<void> {
    await guard(async () => {
      project.value = await api.invoke('project:open', { path: path.trim() });
      mediaId.value = null;
      segments.value = [];
      labels.value = [];
      predictions.value = [];
      peaks.value = null;
      history.clear();
      ids.clear();
      await refreshMedia();
    });
  }

  async function refreshMedia(): Promise<void> {
    mediaList.value = await api.invoke('media:list', undefined);
  }

  async function addMedia(path: string): Promise<void> {
    await guard(async () => {
      const added = await api.invoke('media:add', { path: path.trim() });
      await refreshMedia();
      await selectMedia(added.id);
    });
  }

  async function loadSegmentsAndLabels(id: number): Promise<void> {
    const [segs, labs, preds] = await Promise.all([
      api.invoke('segments:list', { mediaId: id }),
      api.invoke('labels:list', { mediaId: id }),
      api.invoke('predictions:list', { mediaId: id }),
    ]);
    if (mediaId.value !== id) return;
    segments.value = [...segs].sort(bySegmentOrder);
    labels.value = labs;
    predictions.value = preds;
  }

  async function selectMedia(id: number): Promise<void> {
    await guard(async () => {
      mediaId.value = id;
      selectedId.value = null;
      currentTime.value = 0;
      peaks.value = null;
      segments.value = [];
      labels.value = [];
      predictions.value = [];
      globalThis.localStorage?.setItem(LAST_MEDIA_KEY, String(id));
      await loadSegmentsAndLabels(id);
      const item = mediaList.value.find((m) => m.id === id);
      if (segments.value.length && (item?.kind === 'image' || item?.kind === 'none')) selectedId.value = segments.value[0].id;
      if (item?.path && (item.kind === 'video' || item.kind === 'audio')) await loadPeaks(id);
    });
  }

  async function loadPeaks(id: number): Promise<void> {
    peaksLoading.value = true;
    try {
      const result = await api.invoke('media:peaks', { mediaId: id });
      if (mediaId.value === id) peaks.value = result;
    } finally {
      peaksLoading.value = false;
    }
  }

  async function exportTo(format: ExportFormat, path: string): Promise<void> {
    await guard(async () => {
      const report = await api.invoke('io:export', { format, path: path.trim() });
      notice.value =
        t('exported', { rows: report.rows, file: report.file }) +
        (report.skippedConflicts ? ' ' + t('exportedConflicts', { n: report.skippedConflicts }) : '');
    });
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

  // ----- edits (each one a command: saved now, undoable) -----

  function execute(command: Command): Promise<void> {
    return history.execute(command).catch((err: unknown) => {
      error.value = messageOf(err);
    });
  }
  function undo(): Promise<void> {
    return history.undo().catch((err: unknown) => {
      error.value = messageOf(err);
    });
  }
  function redo(): Promise<void> {
    return history.redo().catch((err: unknown) => {
      error.value = messageOf(err);
    });
  }

  async function writeMosi(segmentId: number, who: string, values: MosiLabelValues, extras: LabelExtras): Promise<void> {
    putLabel(await api.invoke('labels:setMosi', { segmentId, annotator: who, values, ...extras }));
  }
  async function writeMvsa(segmentId: number, who: string, values: MvsaLabelValues, extras: LabelExtras): Promise<void> {
    putLabel(await api.invoke('labels:setMvsa', { segmentId, annotator: who, values, ...extras }));
  }
  async function deleteMine(segmentId: number, who: string, which: Scheme): Promise<void> {
    const label = labelsBySegment.value.get(segmentId)?.find((l) => l.scheme === which && l.annotator === who);
    if (!label) return;
    await api.invoke('labels:delete', { labelId: label.id });
    removeLabelLocal(label.id);
  }

  function labelOf(segmentId: number, who: string, which: Scheme): Label | null {
    return labelsBySegment.value.get(segmentId)?.find((l) => l.scheme === which && l.annotator === who) ?? null;
  }

  type MosiPatch = Partial<MosiLabelValues> | ((current: MosiLabelValues | null) => Partial<MosiLabelValues>);
  type MvsaPatch = Partial<MvsaLabelValues>;

  // [Note: edits read state when they run] Commands run one after another; a key pressed
  // while the previous edit is still on its way must build on that edit's result, so each
  // command reads the current label/segment in its first run, not when the key was pressed.

  /** Sets (part of) this annotator's MOSI label; a new label needs a score. */
  function setMosi(segmentId: number, patch: MosiPatch, extras: LabelExtras = {}, name = 'label'): Promise<void> {
    const who = requireAnnotator();
    if (!who) return Promise.resolve();
    let values: MosiLabelValues | null = null;
    let old: { values: MosiLabelValues; notes: string; questionable: boolean } | null = null;
    return execute({
      name,
      run: async () => {
        const id = ids.resolve(segmentId);
        if (values === null) {
          const before = labelOf(id, who, 'mosi') as MosiLabel | null;
          const change = typeof patch === 'function' ? patch(before ? before.values : null) : patch;
          if (!before && change.score === undefined) {
            throw new SentiscopeError('bad-input', t('needScore'));
          }
          old = before ? { values: { ...before.values }, notes: before.notes, questionable: before.questionable } : null;
          values = { ...(before?.values ?? { score: 0, text: null, audio: null, visual: null }), ...change };
        }
        await writeMosi(id, who, values, extras);
      },
      undo: () =>
        old
          ? writeMosi(ids.resolve(segmentId), who, old.values, { notes: old.notes, questionable: old.questionable })
          : deleteMine(ids.resolve(segmentId), who, 'mosi'),
    });
  }

  function setMvsa(segmentId: number, patch: MvsaPatch, extras: LabelExtras = {}): Promise<void> {
    const who = requireAnnotator();
    if (!who) return Promise.resolve();
    let values: MvsaLabelValues | null = null;
    let old: { values: MvsaLabelValues; notes: string; questionable: boolean } | null = null;
    return execute({
      name: 'label',
      run: async () => {
        const id = ids.resolve(segmentId);
        if (values === null) {
          const before = labelOf(id, who, 'mvsa') as MvsaLabel | null;
          old = before ? { values: { ...before.values }, notes: before.notes, questionable: before.questionable } : null;
          values = { ...(before?.values ?? { text: null, image: null, pair: null }), ...patch };
        }
        await writeMvsa(id, who, values, extras);
      },
      undo: () =>
        old
          ? writeMvsa(ids.resolve(segmentId), who, old.values, { notes: old.notes, questionable: old.questionable })
          : deleteMine(ids.resolve(segmentId), who, 'mvsa'),
    });
  }

  /** Notes and the questionable flag, on whichever scheme this media uses. */
  function setLabelExtras(segmentId: number, extras: LabelExtras): Promise<void> {
    if (scheme.value === 'mvsa') return setMvsa(segmentId, {}, extras);
    return setMosi(segmentId, {}, extras, 'flag');
  }

  function acceptPrediction(prediction: Prediction): Promise<void> {
    return setMosi(prediction.segmentId, { score: clampScore(prediction.score) }, {}, 'accept prediction');
  }

  function nudgeScore(segmentId: number, delta: number): Promise<void> {
    return setMosi(segmentId, (current) => ({ score: clampScore((current?.score ?? 0) + delta) }));
  }

  async function writeSegment(segmentId: number, patch: { start?: number; end?: number; text?: string }): Promise<void> {
    putSegment(await api.invoke('segments:update', { segmentId, ...patch }));
  }

  type Span = { start: number; end: number; text: string };
  type SegmentPatch = Partial<Span> | ((current: Segment) => Partial<Span>);

  function updateSegment(segmentId: number, patch: SegmentPatch, name = 'edit'): Promise<void> {
    let before: Span | null = null;
    let after: Span | null = null;
    return execute({
      name,
      run: async () => {
        const id = ids.resolve(segmentId);
        if (after === null) {
          const segment = segmentById.value.get(id);
          if (!segment) throw new SentiscopeError('not-found', `Segment ${id} is gone: reload the media item.`);
          before = { start: segment.start, end: segment.end, text: segment.text };
          after = { ...before, ...(typeof patch === 'function' ? patch(segment) : patch) };
        }
        await writeSegment(id, after);
      },
      undo: () => writeSegment(ids.resolve(segmentId), before!),
    });
  }

  function nudgeEdge(segmentId: number, edge: 'start' | 'end', direction: 1 | -1): Promise<void> {
    const limit = media.value?.probe?.duration ?? Number.POSITIVE_INFINITY;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return updateSegment(
      segmentId,
      (s) =>
        edge === 'start'
          ? { start: round(Math.max(0, Math.min(s.end - MIN_SEGMENT, s.start + direction * NUDGE))) }
          : { end: round(Math.min(limit, Math.max(s.start + MIN_SEGMENT, s.end + direction * NUDGE))) },
      'boundary',
    );
  }

  async function restore(snapshot: SegmentSnapshot, labelSnaps: LabelSnapshot[]): Promise<Segment> {
    const restored = await api.invoke('segments:restore', { segment: snapshot, labels: labelSnaps });
    putSegment(restored.segment);
    labels.value = [...labels.value, ...restored.labels];
    return restored.segment;
  }
  async function remove(segmentId: number): Promise<void> {
    await api.invoke('segments:delete', { segmentId });
    removeSegmentLocal(segmentId);
  }
  function labelsOf(segmentId: number): LabelSnapshot[] {
    return (labelsBySegment.value.get(segmentId) ?? []).map(labelSnapshotOf);
  }

  function createSegment(start: number, end: number): Promise<void> {
    const id = mediaId.value;
    if (id === null) return Promise.resolve();
    let createdId: number | null = null;
    let snapshot: { segment: SegmentSnapshot; labels: LabelSnapshot[] } | null = null;
    return execute({
      name: 'create',
      run: async () => {
        if (createdId === null || !snapshot) {
          const created = await api.invoke('segments:create', { mediaId: id, start, end });
          createdId = created.id;
          putSegment(created);
          selectedId.value = created.id;
        } else {
          const restored = await restore(snapshot.segment, snapshot.labels);
          ids.moved(createdId, restored.id);
          selectedId.value = restored.id;
        }
      },
      undo: async () => {
        const now = segmentById.value.get(ids.resolve(createdId!));
        if (!now) return;
        snapshot = { segment: snapshotOf(now), labels: labelsOf(now.id) };
        await remove(now.id);
      },
    });
  }

  function deleteSegment(segmentId: number): Promise<void> {
    let snapshot: SegmentSnapshot | null = null;
    let labelSnaps: LabelSnapshot[] = [];
    return execute({
      name: 'delete',
      run: async () => {
        const id = ids.resolve(segmentId);
        const segment = segmentById.value.get(id);
        if (!segment) throw new SentiscopeError('not-found', `Segment ${id} is gone: reload the media item.`);
        snapshot = snapshotOf(segment);
        labelSnaps = labelsOf(id);
        await remove(id);
      },
      undo: async () => {
        const restored = await restore(snapshot!, labelSnaps);
        ids.moved(segmentId, restored.id);
        selectedId.value = restored.id;
      },
    });
  }

  function splitAt(segmentId: number, at: number): Promise<void> {
    const segment = segmentById.value.get(segmentId);
    if (!segment) return Promise.resolve();
    const before = { start: segment.start, end: segment.end, text: segment.text };
    const [firstText, secondText] = splitText(segment.text, (at - segment.start) / (segment.end - segment.start));
    let secondId: number | null = null;
    return execute({
      name: 'split',
      run: async () => {
        const result = await api.invoke('segments:split', { segmentId: ids.resolve(segmentId), at, firstText, secondText });
        if (secondId === null) secondId = result.second.id;
        else ids.moved(secondId, result.second.id);
        putSegment(result.first);
        putSegment(result.second);
      },
      undo: async () => {
        await remove(ids.resolve(secondId!));
        await writeSegment(ids.resolve(segmentId), before);
      },
    });
  }

  function mergeWithNext(segmentId: number): Promise<void> {
    const list = segments.value;
    const i = list.findIndex((s) => s.id === segmentId);
    if (i < 0 || i + 1 >= list.length) return Promise.resolve();
    const first = list[i];
    const next = list[i + 1];
    const before = { start: first.start, end: first.end, text: first.text };
    const nextSnapshot = snapshotOf(next);
    const nextLabels = labelsOf(next.id);
    return execute({
      name: 'merge',
      run: async () => {
        const nextNow = ids.resolve(next.id);
        const merged = await api.invoke('segments:merge', { segmentId: ids.resolve(segmentId), nextId: nextNow });
        removeSegmentLocal(nextNow);
        putSegment(merged);
        selectedId.value = merged.id;
      },
      undo: async () => {
        await writeSegment(ids.resolve(segmentId), before);
        const restored = await restore(nextSnapshot, nextLabels);
        ids.moved(next.id, restored.id);
      },
    });
  }

  return {
    // state
    project,
    mediaList,
    mediaId,
    media,
    segments,
    labels,
    predictions,
    peaks,
    peaksLoading,
    selectedId,
    selected,
    playing,
    currentTime,
    annotator,
    error,
    notice,
    busy,
    helpOpen,
    editingId,
    scheme,
    labelsBySegment,
    predictionsBySegment,
    segmentById,
    canUndo,
    canRedo,
    historyVersion,
    // queries
    myLabel,
    displayScore,
    isQuestionable,
    predictedScore,
    neighbour,
    // actions
    init,
    openProject,
    addMedia,
    selectMedia,
    refreshMedia,
    exportTo,
    setAnnotator,
    select,
    setMosi,
    setMvsa,
    setLabelExtras,
    acceptPrediction,
    nudgeScore,
    updateSegment,
    nudgeEdge,
    createSegment,
    deleteSegment,
    splitAt,
    mergeWithNext,
    undo,
    redo,
    historySize: () => history.size,
  };
});
