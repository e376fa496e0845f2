// Team work in browser mode, all through the page: two annotators label their own copies of
// a project with the keyboard (the annotator switched in the top bar, remembered per
// project), the copies are combined into the team project from the app ("Combine
// projects…", its report, a label conflict and a rating-trace conflict listed), the Agreement
// page shows the figures with their readings, per media item, the annotator-pair matrix, the
// disagreement histogram and the annotator-by-annotator scatter, the adjudicator works the
// review queue with the keyboard (set, move, undo), and the top bar's export: the mean, then
// adjudicated with a minimum of annotators (MOSI and MVSA).
// With SENTISCOPE_DOCS_SCREENSHOTS=1 it also writes docs/agreement.png.

import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';
import type { AgreementReport } from '../../src/shared/agreement/report';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const DOCS_SHOT = fileURLToPath(new URL('../../docs/agreement.png', import.meta.url));
/** Each annotator's scores, clip 1..6, given by the keys 1..7 (-3..+3). */
const SCORES: Record<string, number[]> = { ana: [2, -1, 0, 1, -2, 3], bo: [1, 2, 0, 1, -3, -1] };

let ws: Workspace;
let page: Page;
let problems: string[];
const file = (name: string) => join(ws.tmp, `${name}.sentiscope`);

beforeAll(async () => {
  ws = await startWorkspace();
  const context = await ws.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  problems = collectProblems(page);

  // One base project copied to the team and to each annotator, who label their copy in the page.
  const base = file('base');
  const store = ProjectStore.open(base);
  const media = store.addMedia({ name: 'interview' });
  SCORES.ana.forEach((_, i) =>
    store.createSegment({ mediaId: media.id, start: i * 2, end: i * 2 + 2, source: 'manual', text: `clip ${i + 1}` }),
  );
  store.close();
  for (const name of ['ana', 'bo', 'ana-draft']) copyFileSync(base, file(name));
  copyFileSync(base, ws.projectPath);
  // The team project also has an MVSA post the two annotators labelled apart and disagree on.
  const team = ProjectStore.open(ws.projectPath);
  const post = team.addMedia({ name: 'post' });
  const postSegment = team.createSegment({ mediaId: post.id, start: 0, end: 0, source: 'import', text: 'a post' });
  team.setMvsaLabel({ segmentId: postSegment.id, annotator: 'ana', values: { text: 'positive', image: 'neutral', pair: null } });
  team.setMvsaLabel({ segmentId: postSegment.id, annotator: 'bo', values: { text: 'negative', image: 'positive', pair: null } });
  team.close();
  // An older copy of Ana's work with another score on clip 1: combining it is a conflict.
  const draft = ProjectStore.open(file('ana-draft'));
  const [first] = draft.listSegments(draft.listMedia()[0].id);
  draft.setMosiLabel({ segmentId: first.id, annotator: 'ana', values: { score: -3, text: null, audio: null, visual: null } });
  draft.close();
  // Ana's rating trace of the interview, and the draft's, which rated 0.2 s otherwise: a trace conflict.
  for (const [name, values] of [
    ['ana', [1, 1, 1, 2, 2]],
    ['ana-draft', [1, 1, -1, 2, 2]],
  ] as const) {
    const copy = ProjectStore.open(file(name));
    const samples = values.map((value, i) => ({ time: i / 10, value }));
    copy.replaceTrace({ mediaId: copy.listMedia()[0].id, annotator: 'ana', start: 0, end: 0.4, samples });
    copy.close();
  }
}, 180_000);

afterAll(async () => {
  await ws?.close();
});

/** One project's labels as another process reads them: annotator → clip → score. */
function labelsIn(path: string): Record<string, Record<string, number>> {
  const store = ProjectStore.open(path);
  try {
    const media = store.listMedia()[0];
    const clip = new Map(store.listSegments(media.id).map((s) => [s.id, s.clipId]));
    const out: Record<string, Record<string, number>> = {};
    for (const l of store.listLabels(media.id)) {
      if (l.scheme === 'mosi') (out[l.annotator] ??= {})[clip.get(l.segmentId)!] = l.values.score;
    }
    return out;
  } finally {
    store.close();
  }
}

function finals(): Record<string, number> {
  const store = ProjectStore.open(ws.projectPath);
  try {
    const media = store.listMedia()[0];
    const segments = store.listSegments(media.id);
    return Object.fromEntries(
      store
        .listAdjudications(media.id)
        .map((a) => [segments.find((s) => s.id === a.segmentId)!.clipId, (a.values as { score: number }).score]),
    );
  } finally {
    store.close();
  }
}

async function openProject(path: string): Promise<void> {
  await page.getByTestId('project-path-input').fill(path);
  await page.getByTestId('open-project').click();
  await page.getByTestId('media-item').first().click();
  await page.getByTestId('segment-row').nth(5).waitFor();
}

async function setAnnotator(name: string): Promise<void> {
  await page.getByTestId('annotator').fill(name);
  await page.getByTestId('annotator').press('Tab');
}

/** Labels the six clips with the keyboard: select a row, press the score's key. */
async function labelAll(scores: number[]): Promise<void> {
  for (const [i, score] of scores.entries()) {
    await page.getByTestId('segment-row').nth(i).click();
    await page.keyboard.press(String(score + 4));
    const shown = score === 0 ? '0.0' : `${score > 0 ? '+' : ''}${score.toFixed(1)}`;
    await expect.poll(() => page.getByTestId('row-label').nth(i).textContent()).toBe(shown);
  }
}

describe('workspace: team work and the agreement page', () => {
  it('labels as two annotators, combines, shows the figures, adjudicates with the keyboard, undoes and exports', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });

    // Ana labels her copy; then Bo, switched to in the top bar, labels his.
    await setAnnotator('ana');
    await openProject(file('ana'));
    await labelAll(SCORES.ana);
    await openProject(file('bo'));
    await setAnnotator('bo');
    await labelAll(SCORES.bo);
    const clips = (scores: number[]) => Object.fromEntries(scores.map((s, i) => [String(i + 1), s]));
    expect(labelsIn(file('ana'))).toEqual({ ana: clips(SCORES.ana) });
    expect(labelsIn(file('bo'))).toEqual({ bo: clips(SCORES.bo) });

    // The name is remembered per project: Ana's copy opens as ana again.
    await openProject(file('ana'));
    expect(await page.getByTestId('annotator').inputValue()).toBe('ana');

    // The team project: the lead combines the copies from the app.
    await openProject(ws.projectPath);
    await setAnnotator('lead');
    await page.getByTestId('open-combine').click();
    await page.getByTestId('combine-dialog').waitFor();
    await page.getByTestId('combine-sources').fill([file('ana'), file('bo'), file('ana-draft')].join('\n'));
    await page.getByTestId('combine-run').click();
    await page.getByTestId('combine-report').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('combine-summary').textContent()).toContain(
      'Media matched 3, added 0 · segments added 0 · labels added 12, already there 0',
    );
    expect(await page.getByTestId('combine-conflicts-title').textContent()).toMatch(/^1 conflict/);
    const conflict = page.getByTestId('combine-conflict');
    expect(await conflict.count()).toBe(1);
    expect(await conflict.getAttribute('data-clip')).toBe('1');
    expect(await conflict.getAttribute('data-annotator')).toBe('ana');
    expect(await conflict.textContent()).toContain('ana-draft.sentiscope');
    expect(await page.getByTestId('combine-traces').textContent()).toContain('Rating traces added 1 (5 samples), already there 0');
    expect(await page.getByTestId('combine-trace-conflicts-title').textContent()).toMatch(/^1 trace conflict/);
    const traceConflict = page.getByTestId('combine-trace-conflict');
    expect(await traceConflict.count()).toBe(1);
    expect(await traceConflict.getAttribute('data-annotator')).toBe('ana');
    expect(await traceConflict.textContent()).toMatch(
      /interview · 0\.2 s\s*ana\s*1\.00\s*-1\.00 \(1 samples differ\) — .*ana-draft\.sentiscope/,
    );
    // The team keeps Ana's own label; the page shows the combined labels at once.
    expect(labelsIn(ws.projectPath)).toEqual({ ana: clips(SCORES.ana), bo: clips(SCORES.bo) });
    await page.getByTestId('combine-close').click();
    await expect
      .poll(() => page.locator('#known-annotators option').evaluateAll((o) => o.map((x) => x.getAttribute('value'))))
      .toEqual(['ana', 'bo']);

    await page.getByTestId('open-agreement').click();
    await page.getByTestId('agreement-page').waitFor();
    await page.getByTestId('agreement-field').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('agreement-annotators').textContent()).toContain('ana, bo');
    const score = page.locator('[data-testid="agreement-field"][data-field="score"]');
    expect(await score.locator('[data-stat="alpha_interval"]').textContent()).toMatch(/alpha \(interval\) -?\d\.\d\d: /);
    expect(await score.locator('[data-stat="cohen_kappa"]').count()).toBe(0);
    const class3 = page.locator('[data-testid="agreement-field"][data-field="class3"]');
    expect(await class3.locator('[data-stat="cohen_kappa"]').textContent()).toMatch(/kappa/i);

    // Per media: one item here (the MOSI report has no post), so its figures read as the overall ones.
    const overall = (await ws.handlers['agreement:report']({ scheme: 'mosi' })) as AgreementReport;
    const perMedia = page.locator('[data-testid="per-media-row"][data-media="interview"][data-field="score"]');
    expect(await perMedia.locator('[data-stat="alpha_interval"]').textContent()).toBe(
      await score.locator('[data-stat="alpha_interval"]').textContent(),
    );
    expect(await page.getByTestId('per-media-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual([
      'score',
      'class3',
    ]);
    // The pair matrix: Ana against Bo over their six clips, both ways round, with the report's alpha.
    const pair = overall.fields.score.pairwise![0];
    for (const [a, b] of [
      ['ana', 'bo'],
      ['bo', 'ana'],
    ]) {
      const cell = page.locator(`[data-testid="pair-cell"][data-a="${a}"][data-b="${b}"]`);
      expect(await cell.getAttribute('data-n')).toBe('6');
      expect((await cell.textContent())!.replace(/\s+/g, ' ').trim()).toBe(`${pair.alpha_interval!.toFixed(2)} n 6`);
    }

    // The histogram and its reading: spreads 1, 3, 0, 0, 1, 4.
    const counts = await page.getByTestId('histogram-bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-count'))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(await page.getByTestId('histogram-reading').textContent()).toBe(
      '6 items: 2 within half a point, 2 apart by 2 points or more (the widest 4.00–4.50)',
    );
    // The scatter: one point per clip both rated, at (ana, bo), and its reading.
    const points = await page
      .getByTestId('scatter-point')
      .evaluateAll((dots) => dots.map((d) => [Number(d.getAttribute('data-x')), Number(d.getAttribute('data-y'))]));
    expect(points.sort()).toEqual(SCORES.ana.map((a, i) => [a, SCORES.bo[i]]).sort());
    expect(await page.getByTestId('scatter-reading').textContent()).toMatch(
      /^6 items both rated: r -?\d\.\d\d, .* correlation.*; their scores differ by 1\.50 on average$/,
    );
    // Swapping the axes puts Bo on the horizontal one.
    await page.getByTestId('scatter-a').selectOption('bo');
    await expect.poll(() => page.getByTestId('scatter-b').inputValue()).toBe('ana');
    const swapped = await page.getByTestId('scatter-point').evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('data-x'))));
    expect(swapped.sort()).toEqual([...SCORES.bo].sort());

    // Largest spread first: clip 6 (3 vs -1), clip 2 (-1 vs 2), then 1 and 5 (1 each, in time order), 3 and 4 (alike).
    const queued = () => page.getByTestId('review-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-clip')));
    expect(await queued()).toEqual(['6', '2', '1', '5', '3', '4']);

    // Keys: 5 sets +1 on clip 6; j moves; 3 sets -1 on clip 2; z undoes that; the workspace keeps its own labels.
    await page.getByTestId('review-queue').focus();
    await page.keyboard.press('5');
    await expect.poll(() => page.getByTestId('review-final').first().textContent()).toContain('1.0');
    await page.keyboard.press('j');
    await page.keyboard.press('3');
    await expect.poll(() => page.getByTestId('review-final').nth(1).textContent()).toContain('-1.0');
    expect(finals()).toEqual({ '6': 1, '2': -1 });
    await page.keyboard.press('z');
    await expect.poll(() => page.getByTestId('review-final').nth(1).textContent()).toBe('');
    expect(finals()).toEqual({ '6': 1 });
    expect(labelsIn(ws.projectPath)).toEqual({ ana: clips(SCORES.ana), bo: clips(SCORES.bo) });

    await page.getByTestId('scatter-a').selectOption('ana');
    if (process.env.SENTISCOPE_DOCS_SCREENSHOTS === '1') {
      // Tall enough for the whole page, read from its top (the focused queue scrolled it down).
      await page.setViewportSize({ width: 1440, height: 1240 });
      await page.getByTestId('agreement-page').evaluate((el) => el.scrollTo(0, 0));
      await page.screenshot({ path: DOCS_SHOT });
      await page.setViewportSize({ width: 1440, height: 900 });
    }

    // MVSA is decided side by side, with the labelling keys: 1 text negative, 6 image positive; z undoes the image.
    const postFinal = () => {
      const store = ProjectStore.open(ws.projectPath);
      try {
        const post = store.listMedia().find((m) => m.name === 'post')!;
        return store.listAdjudications(post.id).map((a) => a.values);
      } finally {
        store.close();
      }
    };
    await page.getByTestId('agreement-scheme-mvsa').click();
    await expect.poll(() => page.getByTestId('review-item').getAttribute('data-media')).toBe('post');
    expect(await page.getByTestId('agreement-scatter').count()).toBe(0);
    await page.getByTestId('review-queue').focus();
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('review-final').textContent()).toBe('final: negative / –');
    await page.keyboard.press('6');
    await expect.poll(() => page.getByTestId('review-final').textContent()).toBe('final: negative / positive');
    expect(postFinal()).toEqual([{ text: 'negative', image: 'positive', pair: null }]);
    await page.keyboard.press('z');
    await expect.poll(() => page.getByTestId('review-final').textContent()).toBe('final: negative / –');
    expect(postFinal()).toEqual([{ text: 'negative', image: null, pair: null }]);
    // Export from the top bar: the annotators' mean by default; then adjudicated, the final label where there is one.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('agreement-page').count()).toBe(0);
    const mean = join(ws.tmp, 'mean.csv');
    await page.getByTestId('export-format').selectOption('mosi');
    expect(await page.getByTestId('export-aggregate').inputValue()).toBe('mean');
    await page.getByTestId('export-path').fill(mean);
    await page.getByTestId('export').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('mean.csv');
    const meanRows = readFileSync(mean, 'utf8').trim().split('\n');
    expect(meanRows[2]).toBe('interview,2,clip 2,0.5000,,,,Positive,,2.000,4.000,ana;bo,2,-1.0000,2.0000,aggregated');
    expect(meanRows[6]).toBe('interview,6,clip 6,1.0000,,,,Positive,,10.000,12.000,ana;bo,2,3.0000,-1.0000,aggregated');
    const out = join(ws.tmp, 'label.csv');
    await page.getByTestId('export-aggregate').selectOption('adjudicated');
    await page.getByTestId('export-min-annotators').fill('2');
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('export').click();
    await expect.poll(() => page.getByTestId('notice').locator('span').textContent()).toBe(`Wrote 6 rows to ${out}`);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(7);
    expect(rows[6]).toBe('interview,6,clip 6,1.0000,,,,Positive,,10.000,12.000,ana;bo,2,3.0000,-1.0000,adjudicated');
    expect(rows.slice(1, 6)).toEqual(meanRows.slice(1, 6));

    // MVSA keeps "adjudicated": the image side is nobody's decision and has no majority (neutral, positive), so the post stays flagged.
    const posts = join(ws.tmp, 'posts.csv');
    await page.getByTestId('export-format').selectOption('mvsa');
    expect(await page.getByTestId('export-aggregate').inputValue()).toBe('adjudicated');
    await page.getByTestId('export-path').fill(posts);
    await page.getByTestId('export').click();
    await expect
      .poll(() => page.getByTestId('notice').locator('span').textContent())
      .toBe(`Wrote 0 rows to ${posts} (1 posts without a majority left out: post)`);
    expect(readFileSync(posts, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(problems).toEqual([]);
  });
});
