// The Models page in browser mode: open it from the top bar, see the shipped pack
// (late-fusion-v1) and the component models with their sizes and licenses, add the tiny
// fixture pack from its folder path and see it listed as "added", pick it for Analyze and
// find the analysis run with it, then remove it. A Whisper folder (speech recognizer) is
// added from its folder too, listed with its kind, license and source, and removed. Real
// handlers, real files, no network.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOSI_CLIP } from '../helpers/generate-media';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const TINY_PACK = fileURLToPath(new URL('../fixtures/packs/tiny-late-fusion', import.meta.url));

let ws: Workspace;
let page: Page;
let problems: string[];

beforeAll(async () => {
  // The shipped packs are resources/models, as installed: nothing pins them here.
  delete process.env.SENTISCOPE_MODELS;
  ws = await startWorkspace();
  const context = await ws.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  problems = collectProblems(page);
}, 180_000);

afterAll(async () => {
  await ws?.close();
});

const pack = (id: string): Locator => page.locator(`[data-testid="model-pack"][data-model-id="${id}"]`);

/** The pack the page keeps for Analyze (localStorage; tsconfig.node has no DOM types). */
function storedAnalysisModel(): Promise<string | null> {
  return page.evaluate(() =>
    (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('sentiscope.analysisModel'),
  );
}

async function expectSizeAndLicense(row: Locator): Promise<void> {
  expect(await row.getByTestId('model-size').textContent()).toMatch(/^\d+\.\d (kB|MB)$/);
  expect(((await row.getByTestId('model-license').textContent()) ?? '').trim()).not.toBe('');
}

describe('workspace: models page', () => {
  it('lists shipped packs and components, adds a pack from a folder, analyzes with it and removes it', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('open-models').click();
    await page.getByTestId('models-page').waitFor();

    // The shipped pack and the component models, each with a size and a license.
    await pack('late-fusion-v1').waitFor({ timeout: 20_000 });
    expect(await pack('late-fusion-v1').getAttribute('data-root')).toBe('shipped');
    expect(await pack('late-fusion-v1').getByTestId('model-root').textContent()).toBe('shipped');
    await expectSizeAndLicense(pack('late-fusion-v1'));
    expect(await pack('late-fusion-v1').getByTestId('remove-model').count()).toBe(0);
    const components = page.getByTestId('model-component');
    expect(await components.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model-id')))).toEqual([
      'face/blazeface',
      'face/emotion',
      'vad/silero',
    ]);
    for (const row of await components.all()) await expectSizeAndLicense(row);
    expect(await page.getByTestId('use-default-pack').isChecked()).toBe(true);
    expect(await page.getByTestId('models-provider').textContent()).toMatch(/device auto/);

    // A folder missing a file is refused, naming the file; nothing is added.
    await page.getByTestId('model-folder').fill(join(ws.tmp, 'no-such-pack'));
    await page.getByTestId('add-model').click();
    await expect.poll(() => page.getByTestId('models-error').textContent()).toContain('no-such-pack');
    expect(await page.locator('[data-testid="model-pack"][data-root="added"]').count()).toBe(0);
    await page.getByTestId('models-close').click();
    await page.getByTestId('error-banner').getByRole('button').click();
    await page.getByTestId('open-models').click();

    // Added from its folder: copied into the per-user models folder and listed as added.
    await page.getByTestId('model-folder').fill(TINY_PACK);
    await page.getByTestId('add-model').click();
    await pack('tiny-late-fusion').waitFor({ timeout: 20_000 });
    expect(await pack('tiny-late-fusion').getAttribute('data-root')).toBe('added');
    expect(await pack('tiny-late-fusion').getByTestId('model-root').textContent()).toBe('added');
    expect(await pack('tiny-late-fusion').getByTestId('model-source').textContent()).toContain(`added from ${TINY_PACK}`);
    await expectSizeAndLicense(pack('tiny-late-fusion'));
    expect(existsSync(join(ws.tmp, 'data', 'models', 'tiny-late-fusion', 'fusion.onnx'))).toBe(true);

    // Chosen for Analyze: kept across a reload, and the analysis runs that pack.
    await pack('tiny-late-fusion').getByTestId('use-pack').check();
    expect(await storedAnalysisModel()).toBe('tiny-late-fusion');
    await page.reload();
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await expect.poll(() => page.getByTestId('media-path').isEnabled()).toBe(true);
    await page.getByTestId('media-path').fill(MOSI_CLIP);
    await page.getByTestId('add-media').click();
    await page.getByTestId('analyze-media').click();
    await expect
      .poll(() => page.getByTestId('analysis-status').getAttribute('data-state'), { timeout: 90_000, interval: 200 })
      .toMatch(/done|failed/);
    expect(await page.getByTestId('analysis-status').getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('analysis-provider').textContent()).toMatch(/tiny-late-fusion@0\.0\.1 · /);

    await page.getByTestId('open-models').click();
    await pack('tiny-late-fusion').waitFor();
    expect(await pack('tiny-late-fusion').getByTestId('use-pack').isChecked()).toBe(true);
    // The provider the analysis used is now known (the listing the workspace loaded is refreshed on open).
    await expect.poll(() => page.getByTestId('models-provider').textContent()).toMatch(/last used: cpu.*tiny-late-fusion@0\.0\.1/);

    // Removed: gone from the list and the folder, and Analyze is back on the default pack.
    await pack('tiny-late-fusion').getByTestId('remove-model').click();
    await expect.poll(() => pack('tiny-late-fusion').count()).toBe(0);
    expect(existsSync(join(ws.tmp, 'data', 'models', 'tiny-late-fusion'))).toBe(false);
    expect(await page.getByTestId('use-default-pack').isChecked()).toBe(true);
    expect(await storedAnalysisModel()).toBeNull();
    expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  }, 240_000);

  it('adds a Whisper folder, lists it as a speech recognizer with its license and source, and removes it', async () => {
    // A Whisper folder in the Hub layout: the JSON files and two ONNX files (never loaded here).
    const whisper = join(ws.tmp, 'sources', 'whisper-e2e');
    mkdirSync(join(whisper, 'onnx'), { recursive: true });
    const files: Record<string, unknown> = {
      'config.json': { model_type: 'whisper', _name_or_path: 'test/whisper-e2e' },
      'generation_config.json': { is_multilingual: false, alignment_heads: [[0, 1]] },
      'preprocessor_config.json': { chunk_length: 30 },
      'tokenizer.json': { version: '1.0' },
      'tokenizer_config.json': {},
    };
    for (const [name, value] of Object.entries(files)) writeFileSync(join(whisper, name), JSON.stringify(value));
    for (const name of ['encoder_model.onnx', 'decoder_model_merged.onnx'])
      writeFileSync(join(whisper, 'onnx', name), Buffer.alloc(4000, 1));
    writeFileSync(join(whisper, 'README.md'), '---\nlicense: mit\n---\n# A tiny Whisper\n');

    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('open-models').click();
    await page.getByTestId('model-pretrained-none').waitFor({ timeout: 20_000 });

    await page.getByTestId('model-folder').fill(whisper);
    await page.getByTestId('add-model').click();
    const row = page.locator('[data-testid="model-pretrained-row"][data-model-id="whisper-e2e"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-kind')).toBe('speech-recognizer');
    expect(await row.getByTestId('model-description').textContent()).toBe('test/whisper-e2e: whisper (English only; word timestamps)');
    expect(await row.getByTestId('model-license').textContent()).toBe('mit');
    expect(await row.getByTestId('model-source').textContent()).toContain(`added from ${whisper}`);
    await expectSizeAndLicense(row);
    expect(await page.getByTestId('model-pretrained-none').count()).toBe(0);
    // Never among the packs Analyze can pick.
    expect(await pack('whisper-e2e').count()).toBe(0);
    expect(existsSync(join(ws.tmp, 'data', 'pretrained', 'whisper-e2e', 'onnx', 'encoder_model.onnx'))).toBe(true);

    await row.getByTestId('remove-model').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(existsSync(join(ws.tmp, 'data', 'pretrained', 'whisper-e2e'))).toBe(false);
    await page.getByTestId('model-pretrained-none').waitFor();
    expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  }, 120_000);
});
