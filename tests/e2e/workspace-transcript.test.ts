// Importing a transcript from the workspace: the MOSI clip's real transcript as plain text
// is spread over the speech and shown "≈ unaligned" in the transcript and the table; nudging
// a boundary (the annotator aligning it) clears the marker, in the UI and in the file.

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP } from '../helpers/generate-media';
import { collectProblems, startWorkspace, type Workspace } from './workspace-harness';

let ws: Workspace;
let page: Page;
let problems: string[];

function mosiClipText(): string {
  const { header, rows } = parseCsv(readFileSync(resolve('../shared/data/mosi/segments.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const row = rows.find((r) => r.cells[col('video_id')] === 'Oz06ZWiO20M' && r.cells[col('clip_id')] === '6');
  if (!row) throw new Error('Oz06ZWiO20M clip 6 is missing from ../shared/data/mosi/segments.csv');
  return row.cells[col('text')];
}

beforeAll(async () => {
  ws = await startWorkspace();
  page = await (await ws.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  problems = collectProblems(page);
});
afterAll(async () => {
  await ws?.close();
});

describe('transcript import in the workspace', () => {
  it('imports plain text as unaligned segments, and a nudged boundary aligns one', async () => {
    const text = mosiClipText();
    const txt = join(ws.tmp, 'mosi.txt');
    writeFileSync(txt, text);

    await page.goto(ws.server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    await page.getByTestId('project-path-input').fill(ws.projectPath);
    await page.getByTestId('open-project').click();
    await expect.poll(() => page.getByTestId('media-path').isEnabled()).toBe(true);
    await page.getByTestId('media-path').fill(MOSI_CLIP);
    await page.getByTestId('add-media').click();
    await page.getByTestId('media-item').first().waitFor();

    await page.getByTestId('transcript-import-path').fill(txt);
    await page.getByTestId('transcript-import').click();
    await expect.poll(() => page.getByTestId('transcript-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const items = await page.getByTestId('transcript-item').count();
    expect(await page.getByTestId('transcript-unaligned').count()).toBe(items);
    expect(await page.getByTestId('row-unaligned').count()).toBe(items);
    const shown = (await page.getByTestId('transcript-text').allTextContents()).map((s) => s.replace('≈ unaligned', '').trim());
    expect(shown.join(' ')).toBe(text);

    // Select the first segment and move its end earlier (Shift+←): it is aligned now.
    await page.getByTestId('transcript-item').first().click();
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => page.getByTestId('transcript-unaligned').count()).toBe(items - 1);
    expect(await page.getByTestId('row-unaligned').count()).toBe(items - 1);

    const store = ProjectStore.open(ws.projectPath);
    try {
      const media = store.listMedia()[0];
      const segments = store.listSegments(media.id);
      expect(segments.filter((s) => s.aligned)).toHaveLength(1);
      expect(segments.map((s) => s.text).join(' ')).toBe(text);
    } finally {
      store.close();
    }
    expect(problems).toEqual([]);
  });
});
