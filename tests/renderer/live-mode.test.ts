// Live mode's store part over the real contract handlers and a temp SQLite project (no
// browser): number keys at playhead times cut and label segments or label the one under the
// playhead, each an ordinary undoable command; a trace take is sampled from the media clock,
// saved as one command, and undone back to what the take had replaced; a take still open
// when the item changes is saved on its own item.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ref } from 'vue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { validateRequest, type ContractClient } from '../../src/shared/contract';
import type { MosiLabel } from '../../src/shared/domain';
import { createStatus } from '../../src/renderer/src/stores/parts/status';
import { createLibrary } from '../../src/renderer/src/stores/parts/library';
import { createAnnotations } from '../../src/renderer/src/stores/parts/annotations';
import { createEditCommands } from '../../src/renderer/src/stores/parts/edit-commands';
import { createLiveMode } from '../../src/renderer/src/stores/parts/live-mode';
import { createProjectActions } from '../../src/renderer/src/stores/parts/project-actions';
import { MOSI_CLIP, MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';

const MVSA_IMAGE = fileURLToPath(new URL('../../../shared/data/mvsa/images/26.jpg', import.meta.url));

/** The renderer's client over the real handlers, with the same request validation as the shells. */
function directClient(handlers: ServedContract): ContractClient {
  return {
    invoke: async (channel, request) => {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return (await handler(validateRequest(channel, request))) as never;
    },
    mediaUrl: (mediaId) => `/media/${mediaId}`,
  };
}

describe('live mode over the real core', () => {
  let dir: string;
  let handlers: ServedContract;
  let api: ContractClient;

  function workspace() {
    const status = createStatus();
    status.setAnnotator('ann_a');
    const library = createLibrary(api);
    const playhead = ref(0);
    const annotations = createAnnotations(api, library.media, status.annotator, playhead);
    const edits = createEditCommands(api, status, library, annotations);
    const actions = createProjectActions(api, status, library, annotations, edits);
    const live = createLiveMode(api, status, library, annotations, edits, () => playhead.value);
    /** Selects an item as the page does; the live part follows it (saving a take in progress first). */
    const select = async (id: number) => {
      await actions.selectMedia(id);
      await live.loaded();
    };
    /** An item by its name, whatever order the project lists them in. */
    const named = (name: string) => library.mediaList.value.find((m) => m.name === name)!;
    return { status, library, annotations, edits, live, playhead, select, named };
  }

  async function scores(mediaId: number): Promise<[number, number, number | null][]> {
    const [segments, labels] = await Promise.all([api.invoke('segments:list', { mediaId }), api.invoke('labels:list', { mediaId })]);
    return segments.map((s) => [s.start, s.end, (labels.find((l) => l.segmentId === s.id) as MosiLabel | undefined)?.values.score ?? null]);
  }

  beforeAll(async () => {
    dir = await makeTempDir('sentiscope-live-');
    handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data') });
    api = directClient(handlers);
    await api.invoke('project:open', { path: join(dir, 'live.sentiscope') });
    await api.invoke('media:add', { path: MOSI_CLIP });
    await api.invoke('media:add', { path: MOSI_WAV });
  });

  afterAll(async () => {
    handlers?.close();
    await removeTempDir(dir);
  });

  it('number keys cut and label while playing; each is one undo step', async () => {
    const ws = workspace();
    await ws.library.refreshMedia();
    const clip = ws.named('Oz06ZWiO20M_6');
    await ws.select(clip.id);
    await ws.edits.createSegment(4, 5.5); // a segment already there
    await ws.live.toggle('label');

    const press = async (time: number, digit: number) => {
      ws.playhead.value = time;
      await ws.live.pressScore(digit - 4);
    };
    await press(1.5, 2); // nothing under the playhead: cut 0..1.5, label -2
    await press(3.0, 6); // cut from the last press: 1.5..3.0, +2
    await press(4.8, 7); // inside the existing segment: label it +3
    await press(3.02, 5); // too short after the end of the second cut: nothing
    expect(await scores(clip.id)).toEqual([
      [0, 1.5, -2],
      [1.5, 3, 2],
      [4, 5.5, 3],
    ]);
    expect(ws.annotations.segments.value.map((s) => [s.start, s.end, s.source])).toEqual([
      [0, 1.5, 'manual'],
      [1.5, 3, 'manual'],
      [4, 5.5, 'manual'],
    ]);

    await ws.edits.undo(); // the label of the existing segment
    expect(await scores(clip.id)).toEqual([
      [0, 1.5, -2],
      [1.5, 3, 2],
      [4, 5.5, null],
    ]);
    await ws.edits.undo(); // the second cut, segment and label together
    expect(await scores(clip.id)).toEqual([
      [0, 1.5, -2],
      [4, 5.5, null],
    ]);
    await ws.edits.redo();
    expect(await scores(clip.id)).toEqual([
      [0, 1.5, -2],
      [1.5, 3, 2],
      [4, 5.5, null],
    ]);
    expect(ws.status.error.value).toBeNull();
  });

  it('records a trace take from the media clock as one command; undo puts back what it replaced', async () => {
    const ws = workspace();
    await ws.library.refreshMedia();
    const clip = ws.named('Oz06ZWiO20M_6');
    await ws.select(clip.id);
    await ws.live.toggle('trace');
    // Number keys and up/down set the value in trace mode; they label nothing.
    const before = await scores(clip.id);
    const run = async (from: number, to: number, value: (t: number) => void) => {
      for (let time = from; time <= to + 1e-9; time += 0.05) {
        value(time);
        await ws.live.sample(time);
      }
      await ws.live.endTake();
    };
    await run(0, 2, (t) => {
      if (Math.abs(t - 0) < 1e-9) ws.live.pressScore(1);
      if (Math.abs(t - 1) < 1e-9) ws.live.nudgeTrace(-1);
    });
    expect(await scores(clip.id)).toEqual(before);
    const first = (await api.invoke('traces:list', { mediaId: clip.id }))[0];
    expect(first.annotator).toBe('ann_a');
    expect(first.samples).toHaveLength(21);
    expect(first.samples.slice(8, 12)).toEqual([
      { time: 0.8, value: 1 },
      { time: 0.9, value: 1 },
      { time: 1, value: 0.5 },
      { time: 1.1, value: 0.5 },
    ]);

    // A second take over 0.5..1.0 at -2.5 (the mouse), then undo: the first take is back.
    ws.live.setTraceValue(-2.5);
    await run(0.5, 1.0, () => {});
    const overdubbed = (await api.invoke('traces:list', { mediaId: clip.id }))[0].samples;
    expect(overdubbed.filter((s) => s.value === -2.5).map((s) => s.time)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(ws.live.myTrace.value?.samples).toEqual(overdubbed);
    await ws.edits.undo();
    expect((await api.invoke('traces:list', { mediaId: clip.id }))[0].samples).toEqual(first.samples);
    expect(ws.live.myTrace.value?.samples).toEqual(first.samples);
    await ws.edits.undo(); // the first take: the trace is gone
    expect(await api.invoke('traces:list', { mediaId: clip.id })).toEqual([]);
    expect(ws.live.traces.value).toEqual([]);
    await ws.edits.redo();
    expect((await api.invoke('traces:list', { mediaId: clip.id }))[0].samples).toEqual(first.samples);
    expect(ws.status.error.value).toBeNull();
  });

  it('stays off on an item that does not play (an MVSA post), so its keys keep labelling the selection', async () => {
    const ws = workspace();
    const image = await api.invoke('media:add', { path: MVSA_IMAGE });
    await ws.library.refreshMedia();
    const clip = ws.named('Oz06ZWiO20M_6');
    await ws.select(clip.id);
    await ws.live.toggle('trace');
    expect(ws.live.mode.value).toBe('trace');
    await ws.select(image.id);
    expect(ws.live.mode.value).toBe('off');
    await ws.live.toggle('label');
    expect(ws.live.mode.value).toBe('off');
  });

  it('a take open when another item is selected is saved on the item it was recorded on', async () => {
    const ws = workspace();
    await ws.library.refreshMedia();
    const [clip, wav] = [ws.named('Oz06ZWiO20M_6'), ws.named('03bSnISJMiM_1')];
    await ws.select(wav.id);
    await ws.live.toggle('trace');
    ws.live.setTraceValue(1.25);
    for (const time of [0, 0.1, 0.2, 0.3]) await ws.live.sample(time);
    await ws.select(clip.id);
    expect((await api.invoke('traces:list', { mediaId: wav.id }))[0].samples.map((s) => s.value)).toEqual([1.25, 1.25, 1.25, 1.25]);
    expect(ws.live.traces.value.every((t) => t.mediaId === clip.id)).toBe(true);
    // Its undo belongs to that item's history.
    await ws.select(wav.id);
    await ws.edits.undo();
    expect(await api.invoke('traces:list', { mediaId: wav.id })).toEqual([]);
    expect(ws.status.error.value).toBeNull();
  });
});
