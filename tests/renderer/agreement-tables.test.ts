// The Agreement page's tables over a real report (the contract's 'agreement:report' on a
// real project, no browser): the per-media breakdown with the same readings as the
// overall figures, and the annotator-pair matrix of the main field.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { ProjectStore } from '../../src/core/store';
import { mainField, pairMatrix, perMediaRows, readingsOf } from '../../src/renderer/src/stores/parts/agreement-tables';
import { alphaInterval, alphaNominal } from '../../src/shared/agreement/krippendorff';
import { cohenKappa } from '../../src/shared/agreement/kappa';
import type { AgreementReport } from '../../src/shared/agreement/report';
import { readStatistic } from '../../src/shared/agreement/readings';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

let dir: string;
let handlers: ServedContract;

/** MOSI scores per clip of 'talk' (Ana and Cy alike where both scored); 'solo' has one clip only Ana scored. */
const TALK: Record<string, (number | null)[]> = { ana: [2, -1, 0, 1], bo: [1, 2, 0, 1], cy: [2, -1, 0, null] };
const POSTS = {
  ana: ['positive', 'negative', 'neutral'],
  bo: ['positive', 'neutral', 'neutral'],
} as const;

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-agreement-tables-');
  const project = join(dir, 'team.sentiscope');
  const store = ProjectStore.open(project);
  const talk = store.addMedia({ name: 'talk' });
  const clips = TALK.ana.map((_, i) => store.createSegment({ mediaId: talk.id, start: i, end: i + 1, source: 'manual' }));
  for (const [annotator, scores] of Object.entries(TALK)) {
    scores.forEach((score, i) => {
      if (score !== null)
        store.setMosiLabel({ segmentId: clips[i].id, annotator, values: { score, text: null, audio: null, visual: null } });
    });
  }
  const solo = store.addMedia({ name: 'solo' });
  const only = store.createSegment({ mediaId: solo.id, start: 0, end: 1, source: 'manual' });
  store.setMosiLabel({ segmentId: only.id, annotator: 'ana', values: { score: 3, text: null, audio: null, visual: null } });
  const posts = store.addMedia({ name: 'posts' });
  POSTS.ana.forEach((_, i) => {
    const post = store.createSegment({ mediaId: posts.id, start: i, end: i, source: 'import', text: `post ${i}` });
    for (const annotator of ['ana', 'bo'] as const) {
      const side = POSTS[annotator][i];
      store.setMvsaLabel({ segmentId: post.id, annotator, values: { text: side, image: side, pair: null } });
    }
  });
  store.close();
  handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data'), projectPath: project });
});
afterAll(async () => {
  handlers?.close();
  await removeTempDir(dir);
});

const reportOf = async (scheme: 'mosi' | 'mvsa') => (await handlers['agreement:report']({ scheme })) as AgreementReport;

describe('agreement tables', () => {
  it('breaks the figures down per media item, with their readings, naming a media no two annotators rated', async () => {
    const report = await reportOf('mosi');
    const rows = perMediaRows(report);
    expect(rows.map((r) => [r.media, r.field, r.first, r.rows])).toEqual([
      ['solo', null, true, 1],
      ['talk', 'score', true, 2],
      ['talk', 'class3', false, 2],
    ]);
    const score = rows.find((r) => r.field === 'score')!;
    expect([score.n_items, score.n_complete]).toEqual([4, 3]);
    // Every figure of 'talk' is read as the overall one is: its items are all the pairable ones.
    expect(score.readings).toEqual(readingsOf(report.fields.score));
    expect(score.readings.map((r) => r.stat)).toEqual(['alpha_interval', 'icc2_1', 'icc2_k']);
    const alpha = report.per_media.talk.score.alpha_interval!;
    expect(score.readings[0].text).toBe(readStatistic('alpha_interval', alpha));
    // Three annotators: no Cohen's kappa, Fleiss' on the complete items.
    expect(rows[2].readings.map((r) => r.stat)).toEqual(['alpha_nominal', 'fleiss_kappa']);
  });

  it("shows the main field's pairwise agreement as a symmetric matrix", async () => {
    const report = await reportOf('mosi');
    expect(mainField(report)).toBe('score');
    const matrix = pairMatrix(report)!;
    expect(matrix).toMatchObject({ field: 'score', kind: 'interval', annotators: ['ana', 'bo', 'cy'] });
    expect(matrix.cells.map((row, i) => row[i])).toEqual([null, null, null]);
    const both = (a: string, b: string) =>
      TALK[a].map((x, i) => [x, TALK[b][i]]).filter((pair): pair is number[] => pair[0] !== null && pair[1] !== null);
    for (const [a, b, i, j] of [
      ['ana', 'bo', 0, 1],
      ['ana', 'cy', 0, 2],
      ['bo', 'cy', 1, 2],
    ] as const) {
      const pairs = both(a, b);
      const meanDiff = pairs.reduce((s, [x, y]) => s + Math.abs(x - y), 0) / pairs.length;
      expect(matrix.cells[i][j]).toEqual({ alpha: alphaInterval(pairs), n: pairs.length, detail: meanDiff });
      expect(matrix.cells[j][i]).toBe(matrix.cells[i][j]);
    }
    expect(matrix.cells[0][2]).toMatchObject({ n: 3, alpha: 1, detail: 0 });
  });

  it('reads MVSA by the pair label, nominal, with Cohen kappa beside alpha', async () => {
    const report = await reportOf('mvsa');
    expect(mainField(report)).toBe('pair');
    const matrix = pairMatrix(report)!;
    const pairs = POSTS.ana.map((a, i) => [a, POSTS.bo[i]]);
    expect(matrix.kind).toBe('nominal');
    expect(matrix.cells[0][1]).toEqual({ alpha: alphaNominal(pairs), n: 3, detail: cohenKappa(pairs) });
    expect(perMediaRows(report).map((r) => [r.media, r.field])).toEqual([
      ['posts', 'text'],
      ['posts', 'image'],
      ['posts', 'pair'],
    ]);
  });
});
