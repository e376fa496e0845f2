// The page's team-work state over the real contract handlers and temp SQLite projects (no
// browser): "Combine projects…" into the open project with its report, the scatter of two
// annotators' scores, and MVSA adjudication decided side by side with undo.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { ProjectStore } from '../../src/core/store';
import { createAgreement } from '../../src/renderer/src/stores/parts/agreement';
import { createCombine, sourcePaths } from '../../src/renderer/src/stores/parts/combine';
import { createStatus } from '../../src/renderer/src/stores/parts/status';
import { validateRequest, type ContractClient } from '../../src/shared/contract';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

let dir: string;
let handlers: ServedContract;
let api: ContractClient;
let team: string;
let copies: string[];

const SCORES: Record<string, number[]> = { ana: [2, -1, 0], bo: [1.5, 2, 0] };
const SIDES = {
  ana: { text: 'positive', image: 'neutral', pair: null },
  bo: { text: 'negative', image: 'positive', pair: null },
} as const;

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-team-work-');
  const base = join(dir, 'base.sentiscope');
  const store = ProjectStore.open(base);
  const video = store.addMedia({ name: 'vid' });
  [0, 1, 2].forEach((i) => store.createSegment({ mediaId: video.id, start: i, end: i + 1, source: 'manual' }));
  const post = store.addMedia({ name: 'post' });
  store.createSegment({ mediaId: post.id, start: 0, end: 0, source: 'import', text: 'a post' });
  store.close();
  team = join(dir, 'team.sentiscope');
  copyFileSync(base, team);
  copies = Object.keys(SCORES).map((name) => {
    const file = join(dir, `${name}.sentiscope`);
    copyFileSync(base, file);
    const own = ProjectStore.open(file);
    const v = own.listMedia().find((m) => m.name === 'vid')!;
    const p = own.listMedia().find((m) => m.name === 'post')!;
    own
      .listSegments(v.id)
      .forEach((s, i) =>
        own.setMosiLabel({ segmentId: s.id, annotator: name, values: { score: SCORES[name][i], text: null, audio: null, visual: null } }),
      );
    own.setMvsaLabel({ segmentId: own.listSegments(p.id)[0].id, annotator: name, values: SIDES[name as 'ana' | 'bo'] });
    own.close();
    return file;
  });
  handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data'), projectPath: team });
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

describe('team work in the page', () => {
  it('reads one source path a line', () => {
    expect(sourcePaths(' /a.sentiscope \n\n/b.sentiscope\r\n/a.sentiscope\n')).toEqual(['/a.sentiscope', '/b.sentiscope']);
  });

  it('combines into the open project, reports it, and reloads only when something was new', async () => {
    const status = createStatus();
    let reloads = 0;
    const combine = createCombine(api, status, async () => {
      reloads++;
    });
    await combine.combine();
    expect(status.error.value).toMatch(/Name the annotators' project files/);
    status.error.value = null;

    combine.sourcesText.value = copies.join('\n');
    await combine.combine();
    expect(status.error.value).toBeNull();
    expect(combine.report.value).toMatchObject({ into: team, mediaMatched: 4, mediaAdded: 0, labelsAdded: 8, conflicts: [] });
    expect(reloads).toBe(1);

    await combine.combine();
    expect(combine.report.value).toMatchObject({ labelsAdded: 0, labelsSame: 8, changed: false });
    expect(reloads).toBe(1);

    combine.sourcesText.value = join(dir, 'missing.sentiscope');
    await combine.combine();
    expect(status.error.value).toContain('missing.sentiscope');
    expect(combine.report.value).toBeNull();
  });

  it('draws the scatter of two annotators from the queue', async () => {
    const agreement = createAgreement(api, createStatus());
    await agreement.load('mosi');
    expect(agreement.scatter.value).toMatchObject({ a: 'ana', b: 'bo', n: 3, meanAbsDiff: (0.5 + 3 + 0) / 3 });
    expect(agreement.scatter.value?.points).toHaveLength(3);
    agreement.scatterA.value = 'bo';
    expect(agreement.scatter.value).toMatchObject({ a: 'bo', b: 'ana' });
    await agreement.load('mvsa');
    expect(agreement.scatter.value).toBeNull();
    // Bo's sides conflict (no pair label from him), but the sides themselves are compared.
    expect(agreement.refusal.value).toBeNull();
    expect(agreement.report.value?.fields.text).toMatchObject({ n_items: 1, n_pairable: 1 });
  });

  it('MVSA: decides the text side, then the image side, and undoes each', async () => {
    const status = createStatus();
    status.setAnnotator('lead');
    const agreement = createAgreement(api, status);
    await agreement.load('mvsa');
    expect(agreement.queue.value).toHaveLength(1);
    await agreement.setFinalSide('text', 'negative');
    expect(agreement.current.value?.adjudication?.values).toEqual({ text: 'negative', image: null, pair: null });
    await agreement.setFinalSide('image', 'positive');
    expect(agreement.current.value?.adjudication?.values).toEqual({ text: 'negative', image: 'positive', pair: null });
    await agreement.setFinalSide('text', 'neutral');
    expect(agreement.current.value?.adjudication?.values).toEqual({ text: 'neutral', image: 'positive', pair: null });
    await agreement.undo();
    expect(agreement.current.value?.adjudication?.values).toEqual({ text: 'negative', image: 'positive', pair: null });
    await agreement.undo();
    await agreement.undo();
    expect(agreement.current.value?.adjudication).toBeNull();
    expect(agreement.current.value?.labels.map((l) => l.values)).toEqual([SIDES.ana, SIDES.bo]);
    expect(status.error.value).toBeNull();
  });
});
