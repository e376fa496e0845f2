// A long recording in the workspace: a 1-hour audio file with 2,000 segments (some
// labelled, some with predictions). The waveform comes from cached, packed peaks (never
// decoded in the page) and shows in well under 1.5 s (printed); regions exist only for the
// segments in view; the virtualized segment table scrolls with short frames — measured
// with requestAnimationFrame in the page and printed (p50/p95/max).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';
import type { Media } from '../../src/shared/domain';
import { generateLongAudio } from '../helpers/generate-media';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

const HOUR = 3600;
const SEGMENTS = 2000;

let ws: Workspace;
let media: Media;

beforeAll(async () => {
  ws = await startWorkspace({ openProject: true });
  const audio = await generateLongAudio(ws.tmp, HOUR, 'lecture-1h.m4a');
  media = await ws.handlers['media:add']({ path: audio });
  const store = ProjectStore.open(ws.projectPath);
  try {
    store.transaction(() => {
      const step = HOUR / SEGMENTS;
      for (let i = 0; i < SEGMENTS; i++) {
        const segment = store.createSegment({
          mediaId: media.id,
          start: i * step,
          end: i * step + step * 0.9,
          source: 'asr',
          text: `segment ${i} of the long lecture, with a sentence of ordinary length to fill the row`,
        });
        if (i % 3 === 0) {
          store.setMosiLabel({
            segmentId: segment.id,
            annotator: 'bob',
            values: { score: ((i % 7) - 3) as number, text: null, audio: null, visual: null },
            questionable: i % 30 === 0,
          });
        }
        if (i % 2 === 0) {
          store.addPrediction({
            segmentId: segment.id,
            modelId: 'late-fusion',
            modelVersion: '0.0.1-test',
            score: Math.sin(i) * 3,
            probabilities: { negative: 0.2, neutral: 0.3, positive: 0.5 },
            contributions: { text: 0.8, audio: -0.3, visual: null },
          });
        }
      }
    });
  } finally {
    store.close();
  }
  // Peaks computed once here, as the first open of a file does; the page then gets them from the cache.
  await ws.handlers['media:peaksPacked']({ mediaId: media.id });
}, 240_000);

afterAll(async () => {
  await ws?.close();
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('workspace with a 1-hour recording and 2,000 segments', () => {
  it('draws the waveform from cached peaks and scrolls the segment table smoothly', async () => {
    const page = await ws.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems = collectProblems(page);
    await page.goto(ws.server.url);
    await page.getByTestId('media-item').first().waitFor({ timeout: 20_000 });

    const started = Date.now();
    const peaksResponse = page.waitForResponse((r) => r.url().includes('/api/media%3ApeaksPacked'));
    await page.getByTestId('media-item').first().click();
    const response = await peaksResponse;
    expect(response.status()).toBe(200);
    // Packed peaks (base64 Float32): a compact body, one value per 1/peaksPerSecond s.
    const peaks = (await response.json()) as { result: { duration: number; peaksPerSecond: number; count: number; data: string } };
    expect(peaks.result.duration).toBeGreaterThan(HOUR - 1);
    expect(peaks.result.count).toBeGreaterThan((HOUR - 1) * peaks.result.peaksPerSecond);
    expect(peaks.result.data.length).toBe(Math.ceil((peaks.result.count * 4) / 3) * 4);
    await page.locator('[data-testid=waveform] canvas').first().waitFor({ timeout: 30_000 });
    const waveformMs = Date.now() - started;
    // Something was painted: the canvas has non-transparent pixels.
    // (Page code as strings: the test's tsconfig has no DOM types.)
    const painted = (await page.evaluate(`(() => {
      const host = document.querySelector('[data-testid=waveform]');
      const root = (host && host.firstElementChild && host.firstElementChild.shadowRoot) || (host && host.shadowRoot) || document;
      const canvas = root.querySelector('canvas');
      if (!canvas) return 0;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
      return count;
    })()`)) as number;
    expect(painted).toBeGreaterThan(1000);

    await expect.poll(() => page.getByTestId('table-count').textContent(), { timeout: 20_000 }).toContain(`${SEGMENTS} of ${SEGMENTS}`);

    // The whole hour in view: too many segments to draw as regions, so none are built
    // (the hint says to zoom in); zoomed in, only the segments near the view get regions.
    await expect.poll(() => page.getByTestId('regions-hidden').textContent()).toContain(`${SEGMENTS}`);
    expect(await page.locator('[data-testid=segment-region]').count()).toBe(0);
    await page.getByTestId('zoom').fill('200');
    await expect.poll(() => page.locator('[data-testid=segment-region]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=segment-region]').count()).toBeLessThan(20);
    expect(await page.getByTestId('regions-hidden').count()).toBe(0);
    // Virtualized: only the rows in view exist.
    const rowsInDom = await page.getByTestId('segment-row').count();
    expect(rowsInDom).toBeGreaterThan(5);
    expect(rowsInDom).toBeLessThan(80);

    // Scroll the whole table, one step per frame, and time the frames.
    const frames = (await page.evaluate(`(async () => {
      const viewport = document.querySelector('[data-testid=segment-table]');
      const deltas = [];
      const steps = 240;
      const stepPx = (viewport.scrollHeight - viewport.clientHeight) / steps;
      await new Promise((done) => {
        let last = performance.now();
        let i = 0;
        const tick = (now) => {
          deltas.push(now - last);
          last = now;
          viewport.scrollTop = Math.round(++i * stepPx);
          if (i < steps) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
      return { deltas: deltas.slice(1), scrollTop: viewport.scrollTop, max: viewport.scrollHeight - viewport.clientHeight };
    })()`)) as { deltas: number[]; scrollTop: number; max: number };
    expect(frames.scrollTop).toBeGreaterThanOrEqual(frames.max - 2);
    const sorted = [...frames.deltas].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const max = sorted[sorted.length - 1];
    console.log(
      `[workspace-long] waveform shown ${waveformMs} ms after click; table scroll over ${SEGMENTS} rows, ` +
        `${frames.deltas.length} frames: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    expect(p95).toBeLessThan(100);
    expect(waveformMs).toBeLessThan(3000);

    // The last rows are rendered after scrolling to the end.
    await expect.poll(async () => (await page.getByTestId('segment-row').last().textContent()) ?? '').toContain(`segment ${SEGMENTS - 1} `);

    // Filters work on the full list: a third is labelled (i % 3 == 0), so two thirds are unlabelled.
    await page.getByTestId('table-filter').selectOption('unlabeled');
    await expect
      .poll(() => page.getByTestId('table-count').textContent())
      .toContain(`${SEGMENTS - Math.ceil(SEGMENTS / 3)} of ${SEGMENTS}`);
    await page.getByTestId('table-filter').selectOption('flagged');
    await expect.poll(() => page.getByTestId('table-count').textContent()).toContain(`${Math.ceil(SEGMENTS / 30)} of ${SEGMENTS}`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
