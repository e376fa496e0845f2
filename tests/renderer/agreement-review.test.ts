// The Agreement page's state over the real contract handlers and a temp SQLite project (no
// browser): the report and queue of a two-annotator project, final labels set from the queue,
// and undo putting back exactly the final label a change replaced.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { validateRequest, type ContractClient } from '../../src/shared/contract';
import { createAgreement } from '../../src/renderer/src/stores/parts/agreement';
import { createStatus } from '../../src/renderer/src/stores/parts/status';
import { ProjectStore } from '../../src/core/store';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

let dir: string;
let handlers: ServedContract;
let api: ContractClient;

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-agreement-review-');
  const project = join(dir, 'team.sentiscope');
  const store = ProjectStore.open(project);
  const media = store.addMedia({ name: 'vid' });
  const scores = { ana: [1, 3, -2], bo: [1.5, -3, -2] };
  const segments = [0, 1, 2].map((i) => store.createSegment({ mediaId: media.id, start: i, end: i + 1, source: 'manual' }));
  for (const [annotator, list] of Object.entries(scores)) {
    list.forEach((score, i) =>
      store.setMosiLabel({ segmentId: segments[i].id, annotator, values: { score, text: null, audio: null, visual: null } }),
    );
  }
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

const mosi = (score: number) => ({ score, text: null, audio: null, visual: null });

describe('agreement review state', () => {
  it('sets final labels from the queue and undoes each back to what it replaced', async () => {
    const status = createStatus();
    status.setAnnotator('lead');
    const agreement = createAgreement(api, status);
    await agreement.load('mosi');
    expect(agreement.report.value?.annotators).toEqual(['ana', 'bo']);
    expect(agreement.queue.value.map((q) => q.spread)).toEqual([6, 0.5, 0]);
    expect(agreement.refusal.value).toBeNull();

    await agreement.setFinal(mosi(0));
    await agreement.setFinal(mosi(1));
    expect(agreement.queue.value[0].adjudication).toMatchObject({ adjudicator: 'lead', values: mosi(1) });
    await agreement.undo();
    expect(agreement.queue.value[0].adjudication?.values).toEqual(mosi(0));
    await agreement.undo();
    expect(agreement.queue.value[0].adjudication).toBeNull();
    // The annotators' labels never moved.
    expect(agreement.queue.value[0].labels.map((l) => (l.values as { score: number }).score)).toEqual([3, -3]);

    agreement.move(1);
    agreement.move(1);
    agreement.move(1);
    expect(agreement.cursor.value).toBe(2);
    expect(status.error.value).toBeNull();
  });

  it('says why there is no report for a scheme nobody labelled', async () => {
    const agreement = createAgreement(api, createStatus());
    await agreement.load('mvsa');
    expect(agreement.report.value).toBeNull();
    expect(agreement.refusal.value).toMatch(/agreement needs at least two annotators/);
    expect(agreement.queue.value).toEqual([]);
  });
});
