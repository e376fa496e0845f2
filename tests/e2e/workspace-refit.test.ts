// "Refit on my labels" in browser mode, end to end: a project of real RAVDESS clips, most
// labelled, a few not; the Models page refits its consensus labels in a worker (progress
// shown, then the result), the new pack is listed with its learning curve and picked for
// Analyze; an unlabelled clip is analysed with it, and the Label next panel lists the
// unlabelled segments most uncertain first and goes to one on a click. Real handlers,
// real ffmpeg and ONNX, real SQLite, real Chromium.
// With SENTISCOPE_DOCS_SCREENSHOTS=1 it also writes docs/models-refit.png.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { HAS_RAVDESS, addLabelledClips, ravdessClips } from '../helpers/ravdess-project';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const DOCS_SHOT = fileURLToPath(new URL('../../docs/models-refit.png', import.meta.url));

let dir: string;
let ws: Workspace;
let page: Page;
let problems: string[];
const unlabelled = HAS_RAVDESS ? ravdessClips([3]).slice(0, 2) : [];

beforeAll(async () => {
  if (!HAS_RAVDESS) return;
  delete process.env.SENTISCOPE_MODELS;
  dir = await makeTempDir('sentiscope-refit-e2e-');
  const project = join(dir, 'voices.sentiscope');
  await addLabelledClips(project, ravdessClips([1, 2]));
  await addLabelledClips(project, unlabelled, 'ana', false);
  ws = await startWorkspace({ projectPath: () => project, openProject: true });
  const context = await ws.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  problems = collectProblems(page);
}, 180_000);

afterAll(async () => {
  await ws?.close();
  if (dir) await removeTempDir(dir);
});

describe.skipIf(!HAS_RAVDESS)('workspace: refit on my labels', () => {
  it('refits from the Models page, analyses with the new pack, and lists what to label next', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('annotator').fill('ana');
    await page.getByTestId('annotator').press('Tab');
    await page.getByTestId('open-models').click();
    await page.getByTestId('refit-panel').waitFor({ timeout: 20_000 });

    await page.getByTestId('refit-id').fill('my-voices');
    await page.getByTestId('refit-force').check();
    await page.getByTestId('refit-start').click();
    // Progress is shown while it runs (stage, row or fold k of n), then the held-out result.
    await expect
      .poll(() => page.getByTestId('refit-progress').textContent(), { timeout: 30_000, interval: 50 })
      .toMatch(/of \d+|Starting|Fitting|Learning|Installing/);
    await page.getByTestId('refit-result').waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('refit-result').getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('refit-result').textContent()).toMatch(/Held-out mae: \d\.\d{3} before, \d\.\d{3} after \(26 labels/);

    // Listed as an added pack, with its learning curve: four points, labels growing.
    const row = page.locator('[data-testid="model-pack"][data-model-id="my-voices"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-root')).toBe('added');
    const curve = page.locator('[data-testid="learning-curve"][data-model-id="my-voices"]');
    await curve.waitFor();
    const labels = await curve.getByTestId('curve-point').evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('data-labels'))));
    expect(labels).toHaveLength(4);
    expect(labels).toEqual([...labels].sort((a, b) => a - b));
    expect(await curve.getByTestId('curve-before').count()).toBe(1);
    await curve.scrollIntoViewIfNeeded();
    if (process.env.SENTISCOPE_DOCS_SCREENSHOTS === '1') await page.screenshot({ path: DOCS_SHOT });

    // Picked for Analyze; an unlabelled clip analysed with it.
    await row.getByTestId('use-pack').check();
    await page.getByTestId('models-close').click();
    for (const clip of unlabelled) {
      const name = clip.file
        .split('/')
        .pop()!
        .replace(/\.[^.]+$/, '');
      await page.getByTestId('media-filter').fill(name);
      await page.getByTestId('media-item').first().click();
      await page.getByTestId('analyze-media').click();
      await expect
        .poll(() => page.getByTestId('analysis-status').getAttribute('data-state'), { timeout: 90_000, interval: 200 })
        .toMatch(/done|failed/);
      expect(await page.getByTestId('analysis-status').getAttribute('data-state')).toBe('done');
      expect(await page.getByTestId('analysis-provider').textContent()).toMatch(/my-voices@1\.0\.0 · /);
    }

    // Label next: the two unlabelled segments, most uncertain first; a click goes to one.
    const items = page.getByTestId('label-next-item');
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(2);
    const uncertainty = await items.evaluateAll((li) => li.map((l) => Number(l.getAttribute('data-uncertainty'))));
    expect(uncertainty[0]).toBeGreaterThanOrEqual(uncertainty[1]);
    // Only a confident suggestion offers Accept; none is a label until the user accepts it.
    for (const item of await items.all()) {
      const band = await item.getAttribute('data-band');
      expect(await item.getByTestId('label-next-accept').count()).toBe(band === 'confident' ? 1 : 0);
    }
    const first = items.first();
    const segmentId = await first.getAttribute('data-segment-id');
    await page.getByTestId('media-filter').fill('');
    await first.getByTestId('label-next-go').click();
    await expect.poll(() => first.getAttribute('class')).toContain('selected');
    await expect
      .poll(() => page.locator(`[data-testid="segment-row"][data-segment-id="${segmentId}"]`).getAttribute('class'))
      .toContain('selected');
    expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  }, 400_000);
});
