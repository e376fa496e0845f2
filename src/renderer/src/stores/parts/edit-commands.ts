// Every edit of segments and labels as an undoable command: saved through the contract at
// once, then applied to the local state; undo and redo run through the command history
// ([Note: segment ids across undo] in commands/history.ts).

import { computed, ref } from 'vue';
import type { ContractClient, LabelSnapshot, SegmentSnapshot } from '../../../../shared/contract';
import type { Label, MosiLabel, MosiLabelValues, MvsaLabel, MvsaLabelValues, Prediction, Segment } from '../../../../shared/domain';
import { SentiscopeError } from '../../../../shared/errors';
import { CommandHistory, HISTORY_LIMIT, SegmentIds, type Command } from '../../commands/history';
import { t } from '../../i18n';
import { clampScore } from '../../util/format';
import type { Annotations, Scheme } from './annotations';
import type { Library } from './library';
import { messageOf, type Status } from './status';

const NUDGE = 0.05;
/** The shortest segment a drag or a nudge may leave. */
export const MIN_SEGMENT = 0.05;

type LabelExtras = { notes?: string; questionable?: boolean };

function snapshotOf(segment: Segment): SegmentSnapshot {
  const { mediaId, clipId, start, end, source, text, words, split, aligned } = segment;
  return { mediaId, clipId, start, end, source, text, words, split, aligned };
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
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const k = Math.max(0, Math.min(words.length, Math.round(words.length * fraction)));
  return [words.slice(0, k).join(' '), words.slice(k).join(' ')];
}

export function createEditCommands(api: ContractClient, status: Status, library: Library, annotations: Annotations) {
  const {
    segments,
    selectedId,
    segmentById,
    labelsBySegment,
    scheme,
    labelOf,
    putSegment,
    removeSegmentLocal,
    putLabel,
    removeLabelLocal,
  } = annotations;
  const { media, mediaId } = library;
  const { requireAnnotator, error } = status;

  const ids = new SegmentIds();
  const historyVersion = ref(0);
  const history = new CommandHistory(HISTORY_LIMIT, () => historyVersion.value++);
  const canUndo = computed(() => (historyVersion.value, history.canUndo));
  const canRedo = computed(() => (historyVersion.value, history.canRedo));

  /**
   * Runs an edit of the media item in view ([Note: one history per media item] in commands/history.ts),
   * or of `command.mediaId` when given (a live-mode take that ends as the item changes).
   */
  function execute(command: Omit<Command, 'mediaId'> & { mediaId?: number }): Promise<void> {
    const current = command.mediaId ?? mediaId.value;
    if (current === null) return Promise.resolve();
    return history.execute({ ...command, mediaId: current }).catch((err: unknown) => {
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
            throw new SentiscopeError('bad-request', t('needScore'));
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
    for (const label of restored.labels) putLabel(label);
    return restored.segment;
  }
  async function remove(segmentId: number): Promise<void> {
    await api.invoke('segments:delete', { segmentId });
    removeSegmentLocal(segmentId);
  }
  function labelsOf(segmentId: number): LabelSnapshot[] {
    return (labelsBySegment.value.get(segmentId) ?? []).map(labelSnapshotOf);
  }

  /** A new segment; with `label` (live mode's cut on a key) it is labelled in the same command, so one undo removes both. */
  function createSegment(start: number, end: number, label?: MosiLabelValues): Promise<void> {
    const id = mediaId.value;
    if (id === null) return Promise.resolve();
    const who = label ? requireAnnotator() : null;
    if (label && !who) return Promise.resolve();
    let createdId: number | null = null;
    let snapshot: { segment: SegmentSnapshot; labels: LabelSnapshot[] } | null = null;
    return execute({
      name: label ? 'live cut' : 'create',
      run: async () => {
        if (createdId === null || !snapshot) {
          const created = await api.invoke('segments:create', { mediaId: id, start, end });
          putSegment(created);
          if (label && who) {
            // A cut without its label would be half an edit: take the segment back out.
            await writeMosi(created.id, who, label, {}).catch(async (err: unknown) => {
              await remove(created.id);
              throw err;
            });
          }
          createdId = created.id;
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

  /** Forgets every command (another project was opened). */
  function clearHistory(): void {
    history.clear();
    ids.clear();
  }

  /** Forgets one media item's commands: its rows were replaced by an import, which is not undoable. */
  function clearHistoryOf(id: number): void {
    history.clear(id);
  }

  /**
   * Puts another media item in view once the edits asked for before have finished on the item
   * they were made on; `load` replaces the rows in view. Returns when the new rows are loaded.
   */
  function switchTo(id: number | null, load: () => Promise<void>): Promise<void> {
    return history.switchTo(id, load);
  }

  return {
    execute,
    canUndo,
    canRedo,
    historyVersion,
    historySize: () => history.size,
    clearHistory,
    clearHistoryOf,
    switchTo,
    undo,
    redo,
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
  };
}
export type EditCommands = ReturnType<typeof createEditCommands>;
