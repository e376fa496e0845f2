// The annotation workspace end to end on the real MOSI clip: open a project by path, add
// the clip, see its spectrogram (checked against the core's own features), create three
// segments by dragging on the waveform, type their transcripts, label them with keys,
// undo/redo (checked in the UI and in the project file), export MOSI label.csv from the
// UI, reload and find the same labels. Then a file that is not media: a clear message,
// and the workspace keeps working.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACOUSTIC_RECIPE, extractAcousticFeaturesFromMedia, frameCenterSeconds } from '../../src/core/analysis/acoustic';
import { parseEaf } from '../../src/core/io/eaf';
import { parseMosiLabelCsv } from '../../src/core/io/mosi-label-csv';
import { ProjectStore } from '../../src/core/store';
import type { MosiLabel } from '../../src/shared/domain';
import { MOSI_CLIP, textFileAsMedia } from '../helpers/generate-media';
import { collectProblems, dragOnWaveform, startWorkspace, type Workspace } from './workspace-harness';

let ws: Workspace;
let page: Page;
let problems: string[];
let store: ProjectStore | null = null;

const ANNOTATOR = 'alice';
const TEXTS = ['i really loved the opening', 'the middle part dragged a lot', 'overall it was fine'];

beforeAll(async () => {
  ws = await startWorkspace();
  const context = await ws.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  problems = collectProblems(page);
});

afterAll(async () => {
  store?.close();
  await ws?.close();
});

/** The project file as another process would read it: this annotator's MOSI scores in time order. */
function dbScores(): (number | null)[] {
  store ??= ProjectStore.open(ws.projectPath);
  const media = store.listMedia().find((m) => m.name === 'Oz06ZWiO20M_6');
  if (!media) return [];
  const labels = store.listLabels(media.id).filter((l): l is MosiLabel => l.scheme === 'mosi' && l.annotator === ANNOTATOR);
  return store.listSegments(media.id).map((s) => labels.find((l) => l.segmentId === s.id)?.values.score ?? null);
}

function correlation(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

async function selectSegment(index: number): Promise<void> {
  await page.getByTestId('transcript-item').nth(index).click();
}

async function transcriptScores(): Promise<string[]> {
  return (await page.getByTestId('transcript-score').allTextContents()).map((s) => s.trim());
}

describe('annotation workspace (MOSI clip)', () => {
  it('creates, transcribes, labels, undoes, exports and reloads', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });

    // Annotator name, set once (kept in localStorage).
    await page.getByTestId('annotator').fill(ANNOTATOR);
    await page.getByTestId('annotator').press('Tab');

    // Browser mode has no native file dialogs: no Browse buttons, the path fields stay,
    // and the core refuses the dialog channels with a message that says to type the path.
    expect(await page.locator('[data-testid^=browse-]').count()).toBe(0);
    await expect(Promise.resolve().then(() => ws.handlers['dialog:openFile']({ purpose: 'media' }))).rejects.toThrow('type the path');

    // Project by path (created), then the real clip by path.
    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await expect.poll(() => page.getByTestId('media-path').isEnabled()).toBe(true);
    const peaksResponse = page.waitForResponse((r) => r.url().includes('/api/media%3Apeaks') && r.status() === 200);
    await page.getByTestId('media-path').fill(MOSI_CLIP);
    await page.getByTestId('add-media').click();
    await peaksResponse;
    await page.getByTestId('media-item').first().waitFor();
    expect(await page.getByTestId('media-item').first().textContent()).toContain('Oz06ZWiO20M_6');
    expect(await page.getByTestId('media-item').first().textContent()).toContain('video');
    await page.locator('[data-testid=waveform] canvas').first().waitFor({ timeout: 20_000 });
    // (Page code as a string: the test's tsconfig has no DOM types.)
    const duration = (await page.evaluate(`new Promise((done) => {
      const video = document.querySelector('video');
      if (video.readyState >= 1) done(video.duration);
      else video.addEventListener('loadedmetadata', () => done(video.duration), { once: true });
    })`)) as number;
    expect(duration).toBeGreaterThan(7);
    expect(duration).toBeLessThan(8);

    // The spectrogram under the waveform: the clip's log-mel bands for the visible range
    // (all 7.5 s at zoom 0), computed in the core and painted in viridis. Speech and its
    // pauses make the columns differ in brightness (not one flat colour), and the loudest
    // columns are where the core finds the most energy in the clip.
    const spectrogramDrawn = () => page.getByTestId('spectrogram').getAttribute('data-state');
    await expect.poll(spectrogramDrawn, { timeout: 20_000 }).toBe('drawn');
    const paint = (await page.evaluate(`(() => {
      const canvas = document.querySelector('[data-testid=spectrogram]');
      const { width, height } = canvas;
      const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      const colours = new Set();
      const columns = new Array(width).fill(0);
      let opaque = 0;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i + 3] === 0) continue;
        opaque++;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        columns[x] += (data[i] + data[i + 1] + data[i + 2]) / height;
      }
      return { coverage: opaque / (width * height), colours: colours.size, columns };
    })()`)) as { coverage: number; colours: number; columns: number[] };
    expect(paint.coverage).toBeGreaterThan(0.95);
    expect(paint.colours).toBeGreaterThan(40);
    expect(Math.max(...paint.columns) - Math.min(...paint.columns)).toBeGreaterThan(60);
    // The core's log-mel of the whole clip, on the painted colour scale (the top 16 ln units).
    const core = await extractAcousticFeaturesFromMedia(MOSI_CLIP);
    const bins = DEFAULT_ACOUSTIC_RECIPE.melBins;
    let loudest = Number.NEGATIVE_INFINITY;
    for (let f = 0; f < core.frames; f++) for (let b = 0; b < bins; b++) loudest = Math.max(loudest, core.data[f * core.dims + b]);
    const coreLevels = (shift: number) =>
      paint.columns.map((_, x) => {
        const time = ((x + 0.5) / paint.columns.length) * duration + shift;
        const frame = Math.max(0, Math.min(core.frames - 1, Math.round((time - frameCenterSeconds(DEFAULT_ACOUSTIC_RECIPE, 0)) * 100)));
        let sum = 0;
        for (let b = 0; b < bins; b++) sum += Math.max(0, core.data[frame * core.dims + b] - (loudest - 16));
        return sum / bins;
      });
    // (Colour brightness is not linear in the level, hence "clearly correlated", not ~1.)
    const aligned = correlation(paint.columns, coreLevels(0));
    expect(aligned).toBeGreaterThan(0.6);
    // Drawn at the right times: the core's levels shifted by 0.3 s match far worse.
    expect(aligned).toBeGreaterThan(correlation(paint.columns, coreLevels(0.3)) + 0.3);
    expect(aligned).toBeGreaterThan(correlation(paint.columns, coreLevels(-0.3)) + 0.3);
    // G hides it, and shows it again.
    await page.keyboard.press('g');
    await expect.poll(() => page.getByTestId('spectrogram').count()).toBe(0);
    await page.keyboard.press('g');
    await expect.poll(spectrogramDrawn, { timeout: 20_000 }).toBe('drawn');

    // Three segments by dragging on free stretches of the waveform.
    const spans: [number, number][] = [
      [0.3, 2.1],
      [2.7, 4.6],
      [5.2, 7.1],
    ];
    for (const [i, [a, b]] of spans.entries()) {
      await dragOnWaveform(page, duration, a, b);
      await expect.poll(() => page.getByTestId('transcript-item').count()).toBe(i + 1);
    }
    await expect.poll(() => page.locator('[data-testid=segment-region]').count()).toBe(3);
    store ??= ProjectStore.open(ws.projectPath);
    const media = store.listMedia()[0];
    const stored = store.listSegments(media.id);
    expect(stored).toHaveLength(3);
    for (const [i, [a, b]] of spans.entries()) {
      // Pixel rounding of a drag: within 0.1 s of where the mouse went.
      expect(Math.abs(stored[i].start - a)).toBeLessThan(0.1);
      expect(Math.abs(stored[i].end - b)).toBeLessThan(0.1);
    }

    // Transcript text typed in place: select, E, type, Enter.
    for (const [i, text] of TEXTS.entries()) {
      await selectSegment(i);
      await page.keyboard.press('e');
      const editor = page.getByTestId('transcript-editor');
      await editor.waitFor();
      await editor.fill(text);
      await editor.press('Enter');
      await expect.poll(() => page.getByTestId('transcript-text').nth(i).textContent()).toBe(text);
    }
    await expect.poll(() => store!.listSegments(media.id).map((s) => s.text)).toEqual(TEXTS);

    // Label keys: 7 -> +3, 2 -> -2, 5 -> +1 then ] -> +1.1. A digit typed in a text
    // field must not label: check that first.
    await page.getByTestId('export-path').fill('123');
    await selectSegment(0);
    expect(dbScores()).toEqual([null, null, null]);
    await page.keyboard.press('7');
    await selectSegment(1);
    await page.keyboard.press('2');
    await selectSegment(2);
    await page.keyboard.press('5');
    await page.keyboard.press(']');
    await expect.poll(transcriptScores).toEqual(['+3.0', '-2.0', '+1.1']);
    await expect.poll(dbScores).toEqual([3, -2, 1.1]);
    expect(await page.getByTestId('label-score').textContent()).toContain('+1.1');

    // Undo / redo, in the UI and in the project file.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('label-score').textContent()).toContain('+1.0');
    await expect.poll(dbScores).toEqual([3, -2, 1]);
    await page.keyboard.press('Control+z');
    await expect.poll(transcriptScores).toEqual(['+3.0', '-2.0', '–']);
    await expect.poll(dbScores).toEqual([3, -2, null]);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(dbScores).toEqual([3, -2, 1]);
    await page.getByTestId('redo').click();
    await expect.poll(transcriptScores).toEqual(['+3.0', '-2.0', '+1.1']);
    await expect.poll(dbScores).toEqual([3, -2, 1.1]);

    // Export MOSI label.csv through the UI.
    const csvPath = join(ws.tmp, 'label.csv');
    await page.getByTestId('export-format').selectOption('mosi');
    await page.getByTestId('export-path').fill(csvPath);
    await page.getByTestId('export').click();
    await page.locator('[data-testid=notice], [data-testid=error-banner]').first().waitFor();
    expect(await page.getByTestId('error-banner').count(), await page.getByTestId('error-banner').allTextContents().then(String)).toBe(0);
    expect(await page.getByTestId('notice').textContent()).toContain('3');
    const csv = await readFile(csvPath, 'utf8');
    const rows = parseMosiLabelCsv(csv, csvPath);
    expect(rows.map((r) => [r.videoId, r.text, r.label])).toEqual([
      ['Oz06ZWiO20M_6', TEXTS[0], 3],
      ['Oz06ZWiO20M_6', TEXTS[1], -2],
      ['Oz06ZWiO20M_6', TEXTS[2], 1.1],
    ]);
    expect(csv).toContain('3.0000');
    expect(csv).toContain('-2.0000');
    expect(csv).toContain('1.1000');
    expect(rows.map((r) => r.annotation)).toEqual(['Positive', 'Negative', 'Positive']);

    // The same labels as ELAN tiers of the item in the workspace, through the UI.
    const eafPath = join(ws.tmp, 'clip.eaf');
    await page.getByTestId('export-format').selectOption('eaf');
    await page.getByTestId('export-path').fill(eafPath);
    await page.getByTestId('export').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain(eafPath);
    const eaf = parseEaf(await readFile(eafPath, 'utf8'), eafPath);
    const segments = store!.listSegments(media.id);
    const tier = (name: string) => eaf.tiers.find((t) => t.name === name)?.annotations.map((a) => [a.start, a.end, a.value]);
    expect(tier('transcript')).toEqual(segments.map((s) => [Math.round(s.start * 1000) / 1000, Math.round(s.end * 1000) / 1000, s.text]));
    expect(tier(`${ANNOTATOR} score`)?.map((a) => a[2])).toEqual(['3.0000', '-2.0000', '1.1000']);

    // Reload: the same project, media, segments and labels come back.
    await page.reload();
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await expect.poll(transcriptScores, { timeout: 20_000 }).toEqual(['+3.0', '-2.0', '+1.1']);
    await selectSegment(1);
    expect(await page.getByTestId('label-score').textContent()).toContain('-2.0');
    expect(await page.getByTestId('transcript-text').allTextContents()).toEqual(TEXTS);
    expect(problems).toEqual([]);
  });

  it('refuses a file that is not media with a clear message and keeps working', async () => {
    const notMedia = await textFileAsMedia(ws.tmp, 'meeting-notes.mp4');
    await page.getByTestId('media-path').fill(notMedia);
    await page.getByTestId('add-media').click();
    const banner = page.getByTestId('error-message');
    await banner.waitFor();
    const message = (await banner.textContent()) ?? '';
    expect(message).toContain('meeting-notes.mp4');
    // The same message the core gives (SentiscopeError), not a generic failure.
    const direct = await Promise.resolve(ws.handlers['media:add']({ path: notMedia })).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(direct).not.toBe('');
    expect(message).toBe(direct);
    expect(await page.getByTestId('media-item').count()).toBe(1);

    // Still usable: label the first segment with a key.
    await page.getByTestId('error-banner').getByRole('button').click();
    await selectSegment(0);
    await page.keyboard.press('1');
    await expect.poll(transcriptScores).toEqual(['-3.0', '-2.0', '+1.1']);
    await expect.poll(dbScores).toEqual([-3, -2, 1.1]);
  });

  it('switches to Simplified Chinese and lists the keymap on ?', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    expect(await page.getByTestId('help').textContent()).toBe('快捷键 (?)');
    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('?');
    const overlay = page.getByTestId('help-overlay');
    await overlay.waitFor();
    expect(await overlay.textContent()).toContain('撤销');
    expect(await overlay.textContent()).toContain('Ctrl+Z');
    await page.keyboard.press('Escape');
    await expect.poll(() => overlay.count()).toBe(0);
    await page.getByTestId('language').selectOption('en');
    expect(await page.getByTestId('help').textContent()).toBe('Shortcuts (?)');
  });
});
