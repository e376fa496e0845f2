// Speech recognition from the workspace in browser mode: add a tiny Whisper (built by the
// test, fitted to the MOSI clips: tests/helpers/tiny-whisper.ts) on the Models page, choose
// it to transcribe when analyzing, in English, open the real MOSI wav in a project and click
// Analyze: the segment shows the recognised words and its prediction used them. A recognizer
// id that is not added, and a language the model does not know, are refused naming them.
// The pack is pinned to the fixture pack (SENTISCOPE_MODELS), which reads text.

import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';
import { MOSI_WAV } from '../helpers/generate-media';
import { tinyWhisperFolder, tinyWhisperUnavailable } from '../helpers/tiny-whisper';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const PACKS = fileURLToPath(new URL('../fixtures/packs', import.meta.url));
/** The words the tiny Whisper was fitted to for this clip (its CMU-MOSI transcript). */
const WAV_EN = 'anyhow it was really good';

const unavailable = tinyWhisperUnavailable();
if (unavailable) console.warn(`workspace-asr: SKIPPED — ${unavailable}`);

let ws: Workspace;
let page: Page;
let problems: string[];
let whisper = '';
const savedModels = process.env.SENTISCOPE_MODELS;

/** The page's stored choices (localStorage; tsconfig.node has no DOM types). */
function stored(key: string): Promise<string | null> {
  return page.evaluate(
    (k) => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(k),
    key,
  );
}

describe.skipIf(unavailable !== null)('workspace: transcribe when analyzing', () => {
  beforeAll(async () => {
    whisper = await tinyWhisperFolder();
    // Read by the analysis worker when it resolves the default pack.
    process.env.SENTISCOPE_MODELS = PACKS;
    ws = await startWorkspace();
    const context = await ws.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    problems = collectProblems(page);
  }, 900_000);

  afterAll(async () => {
    await ws?.close();
    if (savedModels === undefined) delete process.env.SENTISCOPE_MODELS;
    else process.env.SENTISCOPE_MODELS = savedModels;
  });

  it('chooses an added Whisper on the Models page and Analyze fills the segment with its words', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('open-models').click();
    await page.getByTestId('model-pretrained-none').waitFor({ timeout: 20_000 });
    // No recognizer, no transcription choice to make.
    expect(await page.getByTestId('transcribe-none').count()).toBe(0);

    await page.getByTestId('model-folder').fill(whisper);
    await page.getByTestId('add-model').click();
    const row: Locator = page.locator('[data-testid="model-pretrained-row"][data-kind="speech-recognizer"]');
    await row.waitFor({ timeout: 30_000 });
    const id = (await row.getAttribute('data-model-id'))!;
    // Added, not yet chosen: analysis does not transcribe until the user says so.
    expect(await page.getByTestId('transcribe-none').isChecked()).toBe(true);
    expect(await row.getByTestId('transcribe-with').isChecked()).toBe(false);
    // The languages offered are the model's own.
    const language = row.getByTestId('transcribe-language');
    expect(await language.locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))).toEqual(['en', 'zh']);

    await row.getByTestId('transcribe-with').check();
    await language.selectOption('zh');
    await language.selectOption('en');
    expect(await stored('sentiscope.asrModel')).toBe(id);
    expect(await stored('sentiscope.asrLanguage')).toBe('en');

    // Kept across a reload, like the chosen pack.
    await page.reload();
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('open-models').click();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('transcribe-with').isChecked()).toBe(true);
    expect(await row.getByTestId('transcribe-language').inputValue()).toBe('en');
    await page.getByTestId('models-close').click();

    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await expect.poll(() => page.getByTestId('media-path').isEnabled()).toBe(true);
    await page.getByTestId('media-path').fill(MOSI_WAV);
    await page.getByTestId('add-media').click();
    await page.getByTestId('analyze-media').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('segment-row').count()).toBe(0);

    await page.getByTestId('analyze-media').click();
    const status = page.getByTestId('analysis-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 180_000, interval: 250 }).toMatch(/done|failed|cancelled/);
    expect(
      await status.getAttribute('data-state'),
      (await page
        .getByTestId('error-banner')
        .textContent()
        .catch(() => '')) ?? '',
    ).toBe('done');

    // The transcript panel shows the recognised words; the segment has a prediction.
    await expect.poll(() => page.getByTestId('transcript-item').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const shown = (await page.getByTestId('transcript-text').allTextContents()).map((s) => s.trim());
    expect(shown.join(' ')).toBe(WAV_EN);
    const predicted = (await page.getByTestId('row-predicted').allTextContents()).map((s) => s.trim());
    expect(predicted.length).toBe(shown.length);
    for (const text of predicted) expect(text).toMatch(/^[+−-]?\d/);

    const store = ProjectStore.open(ws.projectPath);
    try {
      const media = store.findMediaByName('03bSnISJMiM_1')!;
      const segments = store.listSegments(media.id);
      expect(segments.map((s) => s.text).join(' ')).toBe(WAV_EN);
      expect(segments.flatMap((s) => s.words ?? []).map((w) => w.word)).toEqual(WAV_EN.split(' '));
      const predictions = store.listPredictions(media.id);
      expect(predictions).toHaveLength(segments.length);
      // The prediction read the transcribed text (no text: no text contribution).
      for (const p of predictions) expect(p.contributions?.text).not.toBeNull();
    } finally {
      store.close();
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('refuses a recognizer id that is not added and a language the model lacks, naming them', async () => {
    const store = ProjectStore.open(ws.projectPath);
    const mediaId = store.findMediaByName('03bSnISJMiM_1')!.id;
    store.close();
    await expect(ws.handlers['analysis:start']({ mediaId, asr: { model: 'no-such-whisper' } })).rejects.toThrow(/"no-such-whisper"/);
    const added = (await ws.handlers['models:list'](undefined)).models.find((m) => m.kind === 'speech-recognizer')!;
    await expect(ws.handlers['analysis:start']({ mediaId, asr: { model: added.id, language: 'fr' } })).rejects.toThrow(/no language "fr"/);
  });
});
