// First run with the catalog, in browser mode: a project with the MOSI wav and no speech
// recognizer installed says Analyze cannot transcribe and offers the catalog; "Get" on the
// Models page fetches the tiny Whisper from a loopback Hub (tests/helpers/loopback-hub.ts,
// named by HF_ENDPOINT, the catalog by SENTISCOPE_CATALOG), with progress, installs it and
// chooses it; Analyze then fills the segment with the recognised words. Screenshot:
// docs/models-catalog.png.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOSI_WAV } from '../helpers/generate-media';
import { catalogEntryFor, startLoopbackHub, tinyWhisperRepoFiles, type LoopbackHub } from '../helpers/loopback-hub';
import { tinyWhisperFolder, tinyWhisperUnavailable } from '../helpers/tiny-whisper';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const PACKS = fileURLToPath(new URL('../fixtures/packs', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../../docs/models-catalog.png', import.meta.url));
const WAV_EN = 'anyhow it was really good';
const ID = 'whisper-tiny-fixture';

const unavailable = tinyWhisperUnavailable();
if (unavailable) console.warn(`workspace-catalog: SKIPPED — ${unavailable}`);

let ws: Workspace;
let hub: LoopbackHub;
let page: Page;
let problems: string[];
const saved = { models: process.env.SENTISCOPE_MODELS, catalog: process.env.SENTISCOPE_CATALOG, hub: process.env.HF_ENDPOINT };

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

describe.skipIf(unavailable !== null)('workspace: get a speech recognizer from the catalog', () => {
  beforeAll(async () => {
    hub = await startLoopbackHub({
      repo: 'sentiscope-test/whisper-tiny-fixture',
      revision: '0123456789abcdef0123456789abcdef01234567',
      files: tinyWhisperRepoFiles(await tinyWhisperFolder()),
    });
    process.env.SENTISCOPE_MODELS = PACKS;
    process.env.HF_ENDPOINT = hub.url;
    ws = await startWorkspace();
    const catalog = join(ws.tmp, 'catalog.json');
    writeFileSync(catalog, JSON.stringify([catalogEntryFor(hub, ID)]));
    process.env.SENTISCOPE_CATALOG = catalog;
    const context = await ws.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    problems = collectProblems(page);
  }, 900_000);

  afterAll(async () => {
    await ws?.close();
    await hub?.close();
    restore('SENTISCOPE_MODELS', saved.models);
    restore('SENTISCOPE_CATALOG', saved.catalog);
    restore('HF_ENDPOINT', saved.hub);
  });

  it('offers the catalog when nothing can transcribe, gets the model with one click, and Analyze shows its words', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await expect.poll(() => page.getByTestId('media-path').isEnabled()).toBe(true);
    await page.getByTestId('media-path').fill(MOSI_WAV);
    await page.getByTestId('add-media').click();
    await page.getByTestId('analyze-media').waitFor({ timeout: 20_000 });
    await page.getByTestId('asr-missing').waitFor({ timeout: 20_000 });
    // Nothing was fetched before the user asked.
    expect(hub.requests).toEqual([]);
    expect(hub.treeRequests).toEqual([]);

    await page.getByTestId('offer-catalog').click();
    const row = page.locator(`[data-testid="catalog-model"][data-model-id="${ID}"]`);
    await row.waitFor({ timeout: 20_000 });
    await row.getByTestId('catalog-get').click();
    await row.getByTestId('catalog-installed').waitFor({ timeout: 60_000 });
    const progress = page.locator('[data-testid="model-download"][data-source="catalog"]');
    expect(await progress.getAttribute('data-state')).toBe('done');
    expect(hub.requests.length).toBe(hub.files.length);
    // Got from the catalog: chosen to transcribe, in English.
    const recognizer = page.locator(`[data-testid="model-pretrained-row"][data-model-id="${ID}"]`);
    expect(await recognizer.getByTestId('transcribe-with').isChecked()).toBe(true);
    await page.locator('#models-catalog').scrollIntoViewIfNeeded();
    await page.getByTestId('models-page').locator('.dialog').screenshot({ path: SCREENSHOT });
    await page.getByTestId('models-close').click();
    expect(await page.getByTestId('asr-missing').count()).toBe(0);

    await page.getByTestId('analyze-media').click();
    const status = page.getByTestId('analysis-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 180_000, interval: 250 }).toMatch(/done|failed|cancelled/);
    expect(await status.getAttribute('data-state')).toBe('done');
    await expect.poll(() => page.getByTestId('transcript-item').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const shown = (await page.getByTestId('transcript-text').allTextContents()).map((s) => s.trim());
    expect(shown.join(' ')).toBe(WAV_EN);
    expect(problems).toEqual([]);
  }, 300_000);
});
