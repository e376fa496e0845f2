// The top bar's export with the aggregation of several annotators, over the real contract
// handlers and a real project (no browser): the choices per format, the request they make,
// and the files written (MOSI mean, median, adjudicated, a minimum of annotators; MVSA
// majority and adjudicated), with what was left out in the notice.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ref } from 'vue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { ProjectStore } from '../../src/core/store';
import { createAnnotations } from '../../src/renderer/src/stores/parts/annotations';
import { createEditCommands } from '../../src/renderer/src/stores/parts/edit-commands';
import { aggregateChoices, aggregationRequest, choiceFor } from '../../src/renderer/src/stores/parts/export-aggregation';
import { createLibrary } from '../../src/renderer/src/stores/parts/library';
import { createProjectActions } from '../../src/renderer/src/stores/parts/project-actions';
import { createStatus } from '../../src/renderer/src/stores/parts/status';
import { validateRequest, type ContractClient } from '../../src/shared/contract';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

let dir: string;
let handlers: ServedContract;
let api: ContractClient;

/** Scores per clip: three annotators on clip 1, two on clip 2, one on clip 3. */
const SCORES: Record<string, (number | null)[]> = { ana: [2, -1, 1], bo: [-1, 2, null], cy: [0, null, null] };

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-export-aggregation-');
  const project = join(dir, 'team.sentiscope');
  const store = ProjectStore.open(project);
  const media = store.addMedia({ name: 'interview' });
  const segments = [0, 1, 2].map((i) =>
    store.createSegment({ mediaId: media.id, start: i * 2, end: i * 2 + 2, source: 'manual', text: `clip ${i + 1}` }),
  );
  for (const [annotator, scores] of Object.entries(SCORES)) {
    scores.forEach((score, i) => {
      if (score !== null)
        store.setMosiLabel({ segmentId: segments[i].id, annotator, values: { score, text: null, audio: null, visual: null } });
    });
  }
  store.setMosiAdjudication({
    segmentId: segments[1].id,
    adjudicator: 'lead',
    values: { score: -2, text: null, audio: null, visual: null },
  });
  // Two posts: one the annotators agree on, one with no majority on the image side.
  const posts = store.addMedia({ name: 'posts' });
  const agreed = store.createSegment({ mediaId: posts.id, start: 0, end: 0, source: 'import', text: 'agreed' });
  const split = store.createSegment({ mediaId: posts.id, start: 1, end: 1, source: 'import', text: 'split' });
  store.updateSegment(agreed.id, { clipId: 'p1' });
  store.updateSegment(split.id, { clipId: 'p2' });
  for (const annotator of ['ana', 'bo'])
    store.setMvsaLabel({ segmentId: agreed.id, annotator, values: { text: 'positive', image: 'positive', pair: null } });
  store.setMvsaLabel({ segmentId: split.id, annotator: 'ana', values: { text: 'negative', image: 'neutral', pair: null } });
  store.setMvsaLabel({ segmentId: split.id, annotator: 'bo', values: { text: 'negative', image: 'positive', pair: null } });
  store.setMvsaAdjudication({ segmentId: split.id, adjudicator: 'lead', values: { text: null, image: 'neutral', pair: null } });
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

function exportActions() {
  const status = createStatus();
  const library = createLibrary(api);
  const annotations = createAnnotations(api, library.media, status.annotator, ref(0));
  const edits = createEditCommands(api, status, library, annotations);
  return { status, actions: createProjectActions(api, status, library, annotations, edits) };
}

/** clip id -> [label, provenance] of a MOSI export. */
function mosiExport(path: string): Record<string, [string, string]> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return Object.fromEntries(
    rows.map((row) => {
      const cells = row.split(',');
      return [cells[cols.indexOf('clip_id')], [cells[cols.indexOf('label')], cells[cols.indexOf('provenance')]]];
    }),
  );
}

describe('export aggregation in the top bar', () => {
  it('offers mean, median and adjudicated for MOSI, majority and adjudicated for MVSA, nothing for the other formats', () => {
    expect(aggregateChoices('mosi')).toEqual(['mean', 'median', 'adjudicated']);
    expect(aggregateChoices('mvsa')).toEqual(['majority', 'adjudicated']);
    expect(aggregateChoices('eaf')).toEqual([]);
    // Switching formats keeps a choice both offer and falls back to the default otherwise.
    expect(choiceFor('mvsa', 'adjudicated')).toBe('adjudicated');
    expect(choiceFor('mvsa', 'median')).toBe('majority');
    expect(choiceFor('mosi', 'majority')).toBe('mean');
    // The defaults ask for nothing, so a one-annotator project exports exactly as before.
    expect(aggregationRequest('mosi', { choice: 'mean', minAnnotators: 1 })).toEqual({});
    expect(aggregationRequest('mvsa', { choice: 'majority', minAnnotators: 1 })).toEqual({});
    expect(aggregationRequest('mosi', { choice: 'median', minAnnotators: 2 })).toEqual({ aggregate: 'median', minAnnotators: 2 });
    expect(aggregationRequest('mvsa', { choice: 'adjudicated', minAnnotators: 3 })).toEqual({ aggregate: 'adjudicated', minAnnotators: 3 });
    expect(aggregationRequest('segments', { choice: 'median', minAnnotators: 0 })).toEqual({});
    expect(() => aggregationRequest('mosi', { choice: 'mean', minAnnotators: 1.5 })).toThrow(/whole number of at least 1 \(got 1\.5\)/);
  });

  it('writes MOSI mean, median and adjudicated exports, and leaves out segments with too few annotators', async () => {
    const { status, actions } = exportActions();
    const out = (name: string) => join(dir, name);
    await actions.exportTo('mosi', out('mean.csv'));
    expect(status.error.value).toBeNull();
    expect(mosiExport(out('mean.csv'))).toEqual({
      '1': ['0.3333', 'aggregated'],
      '2': ['0.5000', 'aggregated'],
      '3': ['1.0000', 'single'],
    });
    await actions.exportTo('mosi', out('median.csv'), { choice: 'median', minAnnotators: 1 });
    expect(mosiExport(out('median.csv'))['1']).toEqual(['0.0000', 'aggregated']);
    await actions.exportTo('mosi', out('adjudicated.csv'), { choice: 'adjudicated', minAnnotators: 2 });
    expect(mosiExport(out('adjudicated.csv'))).toEqual({ '1': ['0.3333', 'aggregated'], '2': ['-2.0000', 'adjudicated'] });
    expect(status.notice.value).toBe(`Wrote 2 rows to ${out('adjudicated.csv')} (1 segments with fewer annotators left out)`);

    // A minimum that is no whole number is refused before anything is written.
    await actions.exportTo('mosi', out('bad.csv'), { choice: 'mean', minAnnotators: 0 });
    expect(status.error.value).toBe('Min. annotators must be a whole number of at least 1 (got 0).');
    expect(existsSync(out('bad.csv'))).toBe(false);
  });

  it('writes MVSA by majority, listing the post without one, and adjudicated with the decided side', async () => {
    const { status, actions } = exportActions();
    const majority = join(dir, 'majority.csv');
    await actions.exportTo('mvsa', majority, { choice: 'majority', minAnnotators: 1 });
    expect(readFileSync(majority, 'utf8').trim().split('\n').slice(1)).toEqual([
      'posts_p1,agreed,,positive,positive,positive,ana;bo,2,positive,positive,unanimous',
    ]);
    expect(status.notice.value).toBe(`Wrote 1 rows to ${majority} (1 posts without a majority left out: posts_p2)`);
    const adjudicated = join(dir, 'mvsa-adjudicated.csv');
    await actions.exportTo('mvsa', adjudicated, { choice: 'adjudicated', minAnnotators: 1 });
    const rows = readFileSync(adjudicated, 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^posts_p2,split,.*,negative,neutral,negative,ana;bo,2,.*,adjudicated$/);
    expect(status.error.value).toBeNull();
  });
});
