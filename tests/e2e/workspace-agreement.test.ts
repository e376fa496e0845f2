// The Agreement page in browser mode: two annotators label their own copies of a project,
// the copies are combined into the project the page opens, the page shows the figures with
// their readings and the disagreement histogram, and the adjudicator works the review queue
// with the keyboard (set, move, undo), checked in the project file and in the export.
// With SENTISCOPE_DOCS_SCREENSHOTS=1 it also writes docs/agreement.png.

import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineProjects } from '../../src/core/services/project-combine';
import { ProjectStore } from '../../src/core/store';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const DOCS_SHOT = fileURLToPath(new URL('../../docs/agreement.png', import.meta.url));
const SCORES: Record<string, number[]> = { ana: [2, -1, 0, 1.5, -2.5, 3], bo: [1.5, 2, 0, 1, -3, -1] };

let ws: Workspace;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ws = await startWorkspace();
  const context = await ws.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  problems = collectProblems(page);

  // One base project, a copy per annotator, each labelled alone, then combined.
  const base = join(ws.tmp, 'base.sentiscope');
  const store = ProjectStore.open(base);
  const media = store.addMedia({ name: 'interview' });
  SCORES.ana.forEach((_, i) =>
    store.createSegment({ mediaId: media.id, start: i * 2, end: i * 2 + 2, source: 'manual', text: `clip ${i + 1}` }),
  );
  store.close();
  const copies = Object.entries(SCORES).map(([name, scores]) => {
    const file = join(ws.tmp, `${name}.sentiscope`);
    copyFileSync(base, file);
    const own = ProjectStore.open(file);
    const segments = own.listSegments(own.listMedia()[0].id);
    scores.forEach((score, i) =>
      own.setMosiLabel({ segmentId: segments[i].id, annotator: name, values: { score, text: null, audio: null, visual: null } }),
    );
    own.close();
    return file;
  });
  expect(combineProjects({ into: ws.projectPath, sources: copies })).toMatchObject({ labelsAdded: 12, conflicts: [] });
}, 180_000);

afterAll(async () => {
  await ws?.close();
});

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

describe('workspace: agreement page', () => {
  it('shows the figures and the histogram, and adjudicates the queue with the keyboard', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('annotator').fill('lead');
    await page.getByTestId('annotator').press('Tab');
    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await page.getByTestId('media-item').first().waitFor();

    await page.getByTestId('open-agreement').click();
    await page.getByTestId('agreement-page').waitFor();
    await page.getByTestId('agreement-field').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('agreement-annotators').textContent()).toContain('ana, bo');
    const score = page.locator('[data-testid="agreement-field"][data-field="score"]');
    expect(await score.locator('[data-stat="alpha_interval"]').textContent()).toMatch(/alpha \(interval\) -?\d\.\d\d: /);
    expect(await score.locator('[data-stat="cohen_kappa"]').count()).toBe(0);
    const class3 = page.locator('[data-testid="agreement-field"][data-field="class3"]');
    expect(await class3.locator('[data-stat="cohen_kappa"]').textContent()).toMatch(/kappa/i);
    const counts = await page.getByTestId('histogram-bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-count'))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);

    // Largest spread first: clip 6 (3 vs -1), clip 2 (-1 vs 2), then 1, 4, 5 (0.5 each, in time order), clip 3 (both 0) last.
    const clips = () => page.getByTestId('review-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-clip')));
    expect(await clips()).toEqual(['6', '2', '1', '4', '5', '3']);
    const spreads = (await page.getByTestId('review-spread').allTextContents()).map(Number);
    expect(spreads).toEqual([...spreads].sort((a, b) => b - a));

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

    if (process.env.SENTISCOPE_DOCS_SCREENSHOTS === '1') await page.screenshot({ path: DOCS_SHOT });

    // The annotators' labels are as they were; the export takes the final label where there is one.
    const out = join(ws.tmp, 'label.csv');
    await ws.handlers['io:export']({ format: 'mosi', path: out, aggregate: 'adjudicated' });
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[6]).toBe('interview,6,clip 6,1.0000,,,,Positive,,10.000,12.000,ana;bo,2,3.0000,-1.0000,adjudicated');
    expect(rows[2]).toBe('interview,2,clip 2,0.5000,,,,Positive,,2.000,4.000,ana;bo,2,-1.0000,2.0000,aggregated');

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('agreement-page').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
