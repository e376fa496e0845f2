// Analyze from the workspace in browser mode: add the real MOSI clip, click Analyze, watch
// the progress (stage, percent, the provider in use) until done, and find the
// predictions in the segment table and in the project file. The model is pinned to the
// fixture pack (SENTISCOPE_MODELS), whatever packs are installed.

import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';
import { MOSI_CLIP } from '../helpers/generate-media';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const PACKS = fileURLToPath(new URL('../fixtures/packs', import.meta.url));

let ws: Workspace;
let page: Page;
let problems: string[];
const savedModels = process.env.SENTISCOPE_MODELS;

beforeAll(async () => {
  // Read by the analysis worker when it resolves the default pack.
  process.env.SENTISCOPE_MODELS = PACKS;
  ws = await startWorkspace();
  const context = await ws.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  problems = collectProblems(page);
}, 180_000);

afterAll(async () => {
  await ws?.close();
  if (savedModels === undefined) delete process.env.SENTISCOPE_MODELS;
  else process.env.SENTISCOPE_MODELS = savedModels;
});

describe('workspace: analyze', () => {
  it('analyzes the MOSI clip and shows the predictions as they are saved', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await expect.poll(() => page.getByTestId('media-path').isEnabled()).toBe(true);
    await page.getByTestId('media-path').fill(MOSI_CLIP);
    await page.getByTestId('add-media').click();
    await page.getByTestId('analyze-media').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('segment-row').count()).toBe(0);

    await page.getByTestId('analyze-media').click();
    const status = page.getByTestId('analysis-status');
    await status.waitFor({ timeout: 10_000 });
    // Percentages seen while polling never go down.
    const seen: number[] = [];
    await expect
      .poll(
        async () => {
          const text = (await status.textContent()) ?? '';
          const percent = /(\d+)%/.exec(text);
          if (percent) seen.push(Number(percent[1]));
          return status.getAttribute('data-state');
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe('done');
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen.at(-1)).toBe(100);
    expect(await page.getByTestId('analysis-provider').textContent()).toMatch(/tiny-late-fusion@0\.0\.1 · cpu/);

    // The VAD segments and their predicted scores are in the table.
    await expect.poll(() => page.getByTestId('segment-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const predicted = (await page.getByTestId('row-predicted').allTextContents()).map((s) => s.trim());
    expect(predicted.length).toBeGreaterThan(0);
    for (const text of predicted) expect(text).toMatch(/^[+−-]?\d/);

    const store = ProjectStore.open(ws.projectPath);
    try {
      const media = store.findMediaByName('Oz06ZWiO20M_6')!;
      const segments = store.listSegments(media.id);
      expect(segments.length).toBe(predicted.length);
      expect(store.listPredictions(media.id)).toHaveLength(segments.length);
      expect(segments.every((s) => s.source === 'vad')).toBe(true);
    } finally {
      store.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
