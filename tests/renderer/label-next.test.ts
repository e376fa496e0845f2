// The Label next panel's state over the real contract handlers and a real project (no
// browser): the queue in its bands, most uncertain first; going to an item selects its
// media and segment; and a confident suggestion becomes a label only when the user
// accepts it, through the edit commands (so undo takes it back), after which the queue
// no longer lists it. The predictions are written into the project as an analysis would.

import { join } from 'node:path';
import { ref } from 'vue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { validateRequest, type ContractClient } from '../../src/shared/contract';
import { ProjectStore, addMediaFile } from '../../src/core/store';
import { createStatus } from '../../src/renderer/src/stores/parts/status';
import { createLibrary } from '../../src/renderer/src/stores/parts/library';
import { createAnnotations } from '../../src/renderer/src/stores/parts/annotations';
import { createEditCommands } from '../../src/renderer/src/stores/parts/edit-commands';
import { createProjectActions } from '../../src/renderer/src/stores/parts/project-actions';
import { createLabelNext } from '../../src/renderer/src/stores/parts/label-next';
import { MOSI_CLIP, MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';

let dir: string;
let handlers: ServedContract;
let api: ContractClient;
const ids: Record<string, number> = {};

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-label-next-');
  const project = join(dir, 'next.sentiscope');
  const store = ProjectStore.open(project);
  const clip = await addMediaFile(store, MOSI_CLIP);
  const wav = await addMediaFile(store, MOSI_WAV);
  const predicted = (mediaId: number, start: number, text: string, top: number, score: number) => {
    const segment = store.createSegment({ mediaId, start, end: start + 1, source: 'manual', text });
    const rest = (1 - top) / 2;
    store.addPrediction({
      segmentId: segment.id,
      modelId: 'pack',
      modelVersion: '1',
      score,
      probabilities: { negative: rest, neutral: rest, positive: top },
      contributions: { text: null, audio: null, visual: null },
    });
    ids[text] = segment.id;
  };
  predicted(clip.id, 0, 'sure', 0.9, 2.2);
  predicted(clip.id, 3, 'unsure', 0.6, 0.8);
  predicted(wav.id, 0, 'hard', 0.4, 0.2);
  store.close();
  handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data'), projectPath: project });
  api = {
    invoke: async (channel, request) => {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return (await handler(validateRequest(channel, request))) as never;
    },
    mediaUrl: (mediaId) => `/media/${mediaId}`,
  };
});
afterAll(async () => {
  handlers?.close();
  await removeTempDir(dir);
});

describe('label next state', () => {
  it('lists the queue in bands, goes to an item, and labels a suggestion only when the user accepts it (undoable)', async () => {
    const status = createStatus();
    status.setAnnotator('ann');
    const library = createLibrary(api);
    const annotations = createAnnotations(api, library.media, status.annotator, ref(0));
    const edits = createEditCommands(api, status, library, annotations);
    const actions = createProjectActions(api, status, library, annotations, edits);
    await actions.init();
    const sought: number[] = [];
    const next = createLabelNext(api, status, {
      showMedia: (mediaId) => actions.selectMedia(mediaId),
      currentMediaId: () => library.mediaId.value,
      selectSegment: (segmentId) => annotations.select(segmentId),
      seek: (seconds) => sought.push(seconds),
      setMosiScore: (segmentId, score) => edits.setMosi(segmentId, { score }, {}, 'accept suggestion'),
    });

    await next.load();
    expect(next.queue.value!.items.map((i) => [i.text, i.band])).toEqual([
      ['hard', 'hard'],
      ['unsure', 'uncertain'],
      ['sure', 'confident'],
    ]);
    const labelsOf = async (segmentId: number) => {
      const mediaId = next.queue.value!.items.find((i) => i.segmentId === segmentId)?.mediaId ?? library.mediaId.value!;
      return (await api.invoke('labels:list', { mediaId })).filter((l) => l.segmentId === segmentId);
    };

    // Going to an item: its media shown, its segment selected, the player sent to its start; nothing labelled.
    const unsure = next.queue.value!.items[1];
    await next.go(unsure);
    expect(library.mediaId.value).toBe(unsure.mediaId);
    expect(annotations.selectedId.value).toBe(ids.unsure);
    expect(sought).toEqual([3]);
    expect(await labelsOf(ids.unsure)).toEqual([]);
    expect(await labelsOf(ids.sure)).toEqual([]);

    // Accepting the confident suggestion: a MOSI label with its score, by this annotator.
    const sure = next.queue.value!.items[2];
    await next.accept(sure);
    expect((await labelsOf(ids.sure)).map((l) => [l.annotator, l.scheme === 'mosi' ? l.values.score : null])).toEqual([['ann', 2.2]]);
    expect(next.queue.value!.items.map((i) => i.text)).toEqual(['hard', 'unsure']);
    expect(next.queue.value!.labelled).toBe(1);

    // It is the user's edit like any other: undo takes it back.
    await edits.undo();
    expect(await labelsOf(ids.sure)).toEqual([]);
    await next.load();
    expect(next.queue.value!.items.map((i) => i.text)).toEqual(['hard', 'unsure', 'sure']);
    expect(status.error.value).toBeNull();
  }, 60_000);
});
