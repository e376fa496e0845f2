// Live mode: labelling while the clip plays. In 'label' mode a number key labels the segment
// under the playhead, or cuts a new one and labels it (live/live-cut.ts), through the
// ordinary edit commands. In 'trace' mode the keys (1..7, up/down) or the mouse over the
// trace strip set a -3..+3 value that is sampled at 10 Hz of media time while the clip plays
// (live/trace-sampler.ts); each take (play to pause, or to a seek) is saved as one
// undoable command. The rating traces of the item in view are kept here for drawing.

import { computed, ref, shallowRef, watch } from 'vue';
import type { ContractClient } from '../../../../shared/contract';
import { clampTraceValue, type Trace, type TraceSample } from '../../../../shared/trace';
import { liveTarget } from '../../live/live-cut';
import { TraceSampler } from '../../live/trace-sampler';
import type { Annotations } from './annotations';
import { MIN_SEGMENT, type EditCommands } from './edit-commands';
import type { Library } from './library';
import { messageOf, type Status } from './status';

export type LiveMode = 'off' | 'label' | 'trace';
/** How far one up/down key moves the trace value. */
export const TRACE_KEY_STEP = 0.5;

export function createLiveMode(
  api: ContractClient,
  status: Status,
  library: Library,
  annotations: Annotations,
  edits: EditCommands,
  /** The media clock, in seconds (the player's, read when a key is pressed). */
  clock: () => number,
) {
  const mode = ref<LiveMode>('off');
  /** The trace value the keys or the mouse hold now. */
  const traceValue = ref(0);
  const traces = shallowRef<Trace[]>([]);
  const recording = ref(false);
  /** Bumped as a take grows, so the strip redraws the samples not saved yet. */
  const takeVersion = ref(0);
  const sampler = new TraceSampler();
  let take: { mediaId: number; annotator: string } | null = null;
  let lastPress: number | null = null;
  let loadedMediaId: number | null = null;

  const myTrace = computed(() => traces.value.find((t) => t.annotator === status.annotator.value.trim()) ?? null);
  /** Live mode needs a clip that plays: a video or an audio file (not an MVSA post's image). */
  const playable = computed(() => library.media.value?.kind === 'video' || library.media.value?.kind === 'audio');

  function putTrace(trace: Trace): void {
    if (trace.mediaId !== loadedMediaId) return;
    const others = traces.value.filter((t) => t.annotator !== trace.annotator);
    traces.value = (trace.samples.length ? [...others, trace] : others).sort((a, b) => (a.annotator < b.annotator ? -1 : 1));
  }

  /** Saves the take being recorded as one undoable command (nothing when nothing was recorded). */
  function endTake(): Promise<void> {
    const owner = take;
    const recorded = sampler.finish();
    take = null;
    recording.value = false;
    takeVersion.value++;
    if (!owner || !recorded) return Promise.resolve();
    const write = async (samples: TraceSample[]): Promise<TraceSample[]> => {
      const { start, end } = recorded;
      const result = await api.invoke('traces:replace', { mediaId: owner.mediaId, annotator: owner.annotator, start, end, samples });
      putTrace(result.trace);
      return result.previous;
    };
    // What the take replaced, as it was the first time it ran: undo writes that back.
    let previous: TraceSample[] | null = null;
    return edits.execute({
      name: 'trace take',
      mediaId: owner.mediaId,
      run: async () => {
        const replaced = await write(recorded.samples);
        previous ??= replaced;
      },
      undo: async () => {
        await write(previous ?? []);
      },
    });
  }

  /** One reading of the media clock while the clip plays in trace mode. */
  function sample(time: number): Promise<void> {
    if (mode.value !== 'trace') return Promise.resolve();
    if (!take) {
      const who = status.requireAnnotator();
      const id = library.mediaId.value;
      if (!who || id === null) {
        mode.value = 'off';
        return Promise.resolve();
      }
      take = { mediaId: id, annotator: who };
      recording.value = true;
    }
    // A seek ends the take; the next reading starts the next one.
    const before = sampler.recorded.length;
    if (!sampler.advance(time, traceValue.value)) return endTake();
    // Redraw only when a tick was passed (frames come six times as often as samples).
    if (sampler.recorded.length !== before) takeVersion.value++;
    return Promise.resolve();
  }

  function setTraceValue(value: number): void {
    traceValue.value = clampTraceValue(Math.round(value * 100) / 100);
  }
  function nudgeTrace(direction: 1 | -1): void {
    setTraceValue(traceValue.value + direction * TRACE_KEY_STEP);
  }

  function toggle(which: Exclude<LiveMode, 'off'>): Promise<void> {
    const ending = mode.value === 'trace' ? endTake() : Promise.resolve();
    mode.value = mode.value === which || !playable.value ? 'off' : which;
    lastPress = null;
    return ending;
  }

  /** A number key in live mode: score -3..+3. */
  function pressScore(score: number): Promise<void> {
    if (mode.value === 'trace') {
      setTraceValue(score);
      return Promise.resolve();
    }
    const time = clock();
    const target = liveTarget(annotations.segments.value, time, lastPress, MIN_SEGMENT);
    lastPress = time;
    if (target.kind === 'label') {
      annotations.select(target.segment.id);
      return edits.setMosi(target.segment.id, { score });
    }
    if (target.kind === 'cut') return edits.createSegment(target.start, target.end, { score, text: null, audio: null, visual: null });
    return Promise.resolve();
  }

  /** Another media item (or none) comes into view: a take in progress is saved on its own item first. */
  function leaveMedia(): Promise<void> {
    const saved = endTake();
    // The keys go back to labelling the selection on an item that does not play.
    if (!playable.value) mode.value = 'off';
    loadedMediaId = null;
    lastPress = null;
    traces.value = [];
    return saved;
  }

  async function load(id: number, stillWanted: () => boolean): Promise<void> {
    const list = await api.invoke('traces:list', { mediaId: id });
    if (!stillWanted()) return;
    loadedMediaId = id;
    traces.value = list;
  }

  // Synchronously as the item changes: a take in progress is saved (its command queued)
  // before the switch to the new item is, so it lands on the item it was recorded on.
  let loading: Promise<void> = Promise.resolve();
  watch(
    library.mediaId,
    (id) => {
      void leaveMedia();
      loading =
        id === null
          ? Promise.resolve()
          : load(id, () => library.mediaId.value === id).catch((err: unknown) => {
              status.error.value = messageOf(err);
            });
    },
    { flush: 'sync', immediate: true },
  );

  return {
    mode,
    traceValue,
    traces,
    myTrace,
    playable,
    recording,
    takeVersion,
    recordedSamples: () => sampler.recorded,
    toggle,
    pressScore,
    setTraceValue,
    nudgeTrace,
    sample,
    endTake,
    leaveMedia,
    /** Settles when the traces of the item in view have loaded. */
    loaded: () => loading,
  };
}

export type LiveModeState = ReturnType<typeof createLiveMode>;
