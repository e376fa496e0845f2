// Live mode end to end in browser mode on the real MOSI clip: turn it on (V), play the clip
// and label three segments with number keys while it plays (two cut on the key press where
// nothing was, one already there), then record a continuous trace (C) at half speed with the
// mouse over the trace strip and the keys, overdub part of it in a second take, undo once
// (the second take goes, the first is back), and export the segments with their labels and
// the trace CSV from the UI; every file is checked against the project file.
// (docs/live-mode.png and docs/live-trace.png: `SHOTS=live npx tsx scripts/take-screenshots.ts`.)

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSegmentsCsv } from '../../src/core/io/segments-csv';
import { ProjectStore } from '../../src/core/store';
import { parseCsv } from '../../src/shared/csv';
import type { MosiLabel } from '../../src/shared/domain';
import type { TraceSample } from '../../src/shared/trace';
import { MOSI_CLIP } from '../helpers/generate-media';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const ANNOTATOR = 'alice';

let ws: Workspace;
let page: Page;
let problems: string[];
let mediaId: number;

beforeAll(async () => {
  ws = await startWorkspace({ openProject: true });
  mediaId = (await ws.handlers['media:add']({ path: MOSI_CLIP })).id;
  // One segment is there already: the key press inside it labels it instead of cutting.
  await ws.handlers['segments:create']({ mediaId, start: 4, end: 5.5, text: 'the interesting failure' });
  const context = await ws.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  await page.addInitScript(`localStorage.setItem('sentiscope.annotator', '${ANNOTATOR}')`);
  problems = collectProblems(page);
}, 180_000);

afterAll(async () => {
  await ws?.close();
});

/** The project file as another process reads it. */
function project<T>(read: (store: ProjectStore) => T): T {
  const store = ProjectStore.open(ws.projectPath);
  try {
    return read(store);
  } finally {
    store.close();
  }
}
function savedSegments(): { start: number; end: number; score: number | null }[] {
  return project((store) => {
    const labels = store.listLabels(mediaId).filter((l): l is MosiLabel => l.scheme === 'mosi' && l.annotator === ANNOTATOR);
    return store
      .listSegments(mediaId)
      .map((s) => ({ start: s.start, end: s.end, score: labels.find((l) => l.segmentId === s.id)?.values.score ?? null }));
  });
}
function savedTrace(): TraceSample[] {
  return project((store) => store.getTrace(mediaId, ANNOTATOR).samples);
}

const mediaTime = () => page.evaluate(`document.querySelector('video').currentTime`) as Promise<number>;
/** Waits until the playing clip has reached `time` seconds. */
async function until(time: number): Promise<void> {
  // (Polled from here: the page's CSP refuses waitForFunction's string evaluation.)
  await expect.poll(mediaTime, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(time);
}
async function pause(): Promise<void> {
  await page.keyboard.press(' ');
  await expect.poll(() => page.evaluate(`document.querySelector('video').paused`)).toBe(true);
}
/** Seeks by clicking the sentiment strip (the whole clip) at `time`. */
async function seek(time: number, duration: number): Promise<void> {
  const box = (await page.getByTestId('sentiment-strip').boundingBox())!;
  await page.mouse.click(box.x + Math.max(0.5, (time / duration) * box.width), box.y + box.height / 2);
  await expect.poll(async () => Math.abs((await mediaTime()) - time)).toBeLessThan(0.15);
}
async function exportAs(format: string, path: string): Promise<void> {
  await page.getByTestId('export-format').selectOption(format);
  await page.getByTestId('export-path').fill(path);
  await page
    .getByTestId('notice')
    .waitFor({ state: 'detached' })
    .catch(() => {});
  await page.getByTestId('export').click();
  await page.locator('[data-testid=notice], [data-testid=error-banner]').first().waitFor();
  expect(await page.getByTestId('error-banner').count(), await page.getByTestId('error-banner').allTextContents().then(String)).toBe(0);
  await page.getByTestId('notice').getByRole('button').click();
}

describe('live mode (MOSI clip)', () => {
  it('labels while playing, records a trace, undoes a take, exports', async () => {
    await page.goto(ws.server.url);
    await page.getByTestId('media-item').first().click();
    await page.locator('[data-testid=waveform] canvas').first().waitFor({ timeout: 20_000 });
    const duration = (await page.evaluate(`new Promise((done) => {
      const video = document.querySelector('video');
      if (video.readyState >= 1) done(video.duration);
      else video.addEventListener('loadedmetadata', () => done(video.duration), { once: true });
    })`)) as number;
    expect(duration).toBeGreaterThan(7);

    // Live mode on by its key; the Help lists it.
    await page.keyboard.press('v');
    await expect.poll(() => page.getByTestId('live-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('live-state').waitFor();
    await page.keyboard.press('?');
    const help = page.getByTestId('help-overlay');
    expect(await help.textContent()).toContain('Live mode: number keys label what plays under the playhead');
    expect(await help.textContent()).toContain('Live trace: record');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);

    // Play, and press number keys as the clip plays: 2 (-2) at 1.5 s and 6 (+2) at 3 s
    // where there is no segment, 7 (+3) inside the segment at 4-5.5 s.
    await page.getByTestId('play').click();
    const pressedAt: number[] = [];
    for (const [time, key] of [
      [1.5, '2'],
      [3.0, '6'],
      [4.6, '7'],
    ] as const) {
      await until(time);
      pressedAt.push(await mediaTime());
      await page.keyboard.press(key);
    }
    await pause();
    await expect.poll(() => savedSegments().filter((s) => s.score !== null).length).toBe(3);
    const segments = savedSegments();
    expect(segments.map((s) => s.score)).toEqual([-2, 2, 3]);
    // The cuts run from the start (no segment before), then from the last key press, to the press.
    expect(segments[0].start).toBe(0);
    expect(segments[0].end).toBeCloseTo(pressedAt[0], 0);
    expect(segments[1].start).toBe(segments[0].end);
    expect(segments[1].end).toBeCloseTo(pressedAt[1], 0);
    expect(segments[1].end).toBeLessThan(4);
    expect([segments[2].start, segments[2].end]).toEqual([4, 5.5]);
    await expect.poll(() => page.getByTestId('transcript-score').allTextContents()).toEqual(['-2.0', '+2.0', '+3.0']);

    // Continuous trace at half speed from the start: the mouse high over the strip (about
    // +2), then key 2 (-2) from about 1 s of media.
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('trace-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('speed').selectOption('0.5');
    await seek(0, duration);
    const strip = (await page.getByTestId('trace-strip').boundingBox())!;
    const yOf = (value: number) => strip.y + 2 + ((3 - value) / 6) * (strip.height - 4);
    await page.mouse.move(strip.x + strip.width * 0.3, yOf(2));
    await page.keyboard.press(' ');
    await page.getByTestId('trace-recording').waitFor();
    await until(1.0);
    await page.keyboard.press('2');
    await until(2.0);
    await pause();
    await page.getByTestId('trace-recording').waitFor({ state: 'detached' });
    await expect.poll(() => savedTrace().length).toBeGreaterThan(15);
    const firstTake = savedTrace();
    // Contiguous on the 10 Hz grid from 0, about +2 then -2.
    expect(firstTake[0].time).toBe(0);
    firstTake.forEach((s, i) => expect(s.time).toBeCloseTo(i / 10, 9));
    expect(firstTake.at(-1)!.time).toBeGreaterThanOrEqual(2);
    expect(Math.abs(firstTake[3].value - 2)).toBeLessThan(0.1);
    expect(firstTake.at(-1)!.value).toBe(-2);
    expect(new Set(firstTake.map((s) => s.value)).size).toBeGreaterThanOrEqual(2);

    // A second take over part of it with up (+0.5 steps from -2 → -1), then undo once.
    await seek(0.5, duration);
    const overdubFrom = Math.floor((await mediaTime()) * 10 + 1e-6) / 10;
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByTestId('live-state').textContent()).toContain('-1.0');
    await page.keyboard.press(' ');
    await until(1.2);
    await pause();
    await expect.poll(() => savedTrace().filter((s) => s.value === -1).length).toBeGreaterThan(4);
    const overdubbed = savedTrace();
    expect(overdubbed.length).toBe(firstTake.length);
    expect(overdubbed.filter((s) => s.value === -1)[0].time).toBeCloseTo(overdubFrom, 9);
    await page.keyboard.press('Control+z');
    await expect.poll(savedTrace).toEqual(firstTake);
    // The labels were not touched by the undo.
    expect(savedSegments().map((s) => s.score)).toEqual([-2, 2, 3]);
    await expect.poll(() => page.getByTestId('trace-strip').getAttribute('data-samples')).toBe(String(firstTake.length));

    // Export the segments with their labels and the trace from the UI.
    const segmentsCsv = join(ws.tmp, 'segments.csv');
    await exportAs('segments', segmentsCsv);
    const rows = parseSegmentsCsv(await readFile(segmentsCsv, 'utf8'), segmentsCsv);
    expect(rows.map((r) => [r.media, r.start, r.end, r.label, r.annotator])).toEqual(
      segments.map((s) => ['Oz06ZWiO20M_6', s.start, s.end, s.score, ANNOTATOR]),
    );
    const traceCsv = join(ws.tmp, 'trace.csv');
    await exportAs('trace', traceCsv);
    const table = parseCsv(await readFile(traceCsv, 'utf8'));
    expect(table.header).toEqual(['media', 'time_s', 'annotator', 'value']);
    expect(table.rows.map((r) => r.cells)).toEqual(
      firstTake.map((s) => ['Oz06ZWiO20M_6', s.time.toFixed(1), ANNOTATOR, s.value.toFixed(4)]),
    );
    expect(problems).toEqual([]);
  });
});
