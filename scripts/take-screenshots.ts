// Takes the README screenshots of the annotation workspace with the real data:
//   docs/screenshot-workspace-mosi.png  the MOSI clip with labelled segments (no model output:
//                                      predictions come from the analysis engine, not built yet)
//   docs/screenshot-mvsa.png            an MVSA post (image + text) with text/image labels
//   docs/screenshot-models.png          the Models page: packs, an added (tiny, test-built) Whisper
//   docs/screenshot-prediction-mosi.png the MOSI clip analysed by the default pack: the prediction
//                                      panel with calibrated probabilities, contributions and their
//                                      baseline, the out-of-range flags and the text's language
//   docs/live-mode.png                  live mode while the clip plays: segments cut and labelled by keys
//   docs/live-trace.png                 a continuous rating trace recorded with the mouse, under the waveform
// Run: npx tsx scripts/take-screenshots.ts   (needs /usr/bin/chromium and ../shared/data)
// Two more come from their e2e tests, which build what they show through the app itself:
//   docs/agreement.png     SENTISCOPE_DOCS_SCREENSHOTS=1 npx vitest run tests/e2e/workspace-agreement.test.ts
//   docs/models-refit.png  SENTISCOPE_DOCS_SCREENSHOTS=1 npx vitest run tests/e2e/workspace-refit.test.ts
//                          (the Models page after "Refit on my labels": the result and the learning curve)

import { resolve } from 'node:path';
import { ProjectStore } from '../src/core/store';
import { startWorkspace } from '../tests/e2e/workspace-harness';
import { MOSI_CLIP } from '../tests/helpers/generate-media';
import { tinyWhisperFolder } from '../tests/helpers/tiny-whisper';

const DOCS = resolve('docs');
const MVSA_POSTS = resolve('../shared/data/mvsa/posts.csv');
/** A post whose image and text are both clear (from posts.csv). */
const MVSA_POST_ID = process.env.MVSA_POST ?? '26';

async function mosiShot(): Promise<void> {
  const ws = await startWorkspace({ openProject: true });
  try {
    const media = await ws.handlers['media:add']({ path: MOSI_CLIP });
    // The clip's transcript (MOSI segment Oz06ZWiO20M_6), cut into three labelled parts.
    const parts: [number, number, string, number][] = [
      [0.25, 2.4, 'and sucker punch is a failure', -1.6],
      [2.6, 4.9, 'but like a really ambitious weird', 0.4],
      [5.1, 7.3, 'the interesting idiosyncratic failure', -0.4],
    ];
    const store = ProjectStore.open(ws.projectPath);
    for (const [start, end, text, score] of parts) {
      const s = store.createSegment({ mediaId: media.id, start, end, text, source: 'manual' });
      store.setMosiLabel({ segmentId: s.id, annotator: 'alice', values: { score, text: null, audio: null, visual: null } });
    }
    store.close();
    const page = await ws.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('sentiscope.annotator', 'alice'));
    await page.goto(ws.server.url);
    await page.getByTestId('media-item').first().click();
    await page.locator('[data-testid=waveform] canvas').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('transcript-item').nth(1).click();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 800)));
    await page.screenshot({ path: resolve(DOCS, 'screenshot-workspace-mosi.png') });
  } finally {
    await ws.close();
  }
}

/** The default pack's prediction of the MOSI clip's middle segment, from a real analysis job. */
async function predictionShot(): Promise<void> {
  const ws = await startWorkspace({ openProject: true });
  try {
    const media = await ws.handlers['media:add']({ path: MOSI_CLIP });
    const store = ProjectStore.open(ws.projectPath);
    for (const [start, end, text] of [
      [0.25, 2.4, 'and sucker punch is a failure'],
      [2.6, 4.9, 'but like a really ambitious weird'],
      [5.1, 7.3, 'the interesting idiosyncratic failure'],
    ] as const) {
      store.createSegment({ mediaId: media.id, start, end, text, source: 'manual' });
    }
    store.close();
    const job = await ws.handlers['analysis:start']({ mediaId: media.id });
    for (;;) {
      const [status] = await ws.handlers['analysis:status']({ jobId: job.jobId });
      if (status.state === 'done') break;
      if (status.state !== 'running' && status.state !== 'queued') throw new Error(`analysis ${status.state}: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const page = await ws.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('sentiscope.annotator', 'alice'));
    await page.goto(ws.server.url);
    await page.getByTestId('media-item').first().click();
    await page.locator('[data-testid=waveform] canvas').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('transcript-item').nth(0).click();
    await page.getByTestId('prediction-baseline').waitFor();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 800)));
    await page.screenshot({ path: resolve(DOCS, 'screenshot-prediction-mosi.png') });
  } finally {
    await ws.close();
  }
}

async function mvsaShot(): Promise<void> {
  const ws = await startWorkspace({ openProject: true });
  try {
    await ws.handlers['io:import']({ format: 'mvsa', path: MVSA_POSTS });
    const page = await ws.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('sentiscope.annotator', 'alice'));
    await page.goto(ws.server.url);
    await page.getByTestId('media-filter').fill(MVSA_POST_ID);
    await page.locator('[data-testid=media-item] .name').getByText(MVSA_POST_ID, { exact: true }).click();
    await page.getByTestId('post-image').waitFor();
    await page.getByTestId('label-panel').getByTestId('mvsa-text-positive').waitFor();
    await page.keyboard.press('3'); // text: positive
    await page.keyboard.press('5'); // image: neutral
    await page.getByTestId('mvsa-pair').waitFor();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 800)));
    await page.screenshot({ path: resolve(DOCS, 'screenshot-mvsa.png') });
  } finally {
    await ws.close();
  }
}

/** The Models page: shipped packs (default and seed architectures), an added Whisper chosen for transcription. */
async function modelsShot(): Promise<void> {
  const whisper = await tinyWhisperFolder();
  const ws = await startWorkspace({ openProject: true });
  try {
    const page = await ws.browser.newPage({ viewport: { width: 1440, height: 1100 } });
    await page.goto(ws.server.url);
    await page.getByTestId('open-models').click();
    await page.getByTestId('model-folder').fill(whisper);
    await page.getByTestId('add-model').click();
    const row = page.locator('[data-testid="model-pretrained-row"][data-kind="speech-recognizer"]');
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId('transcribe-with').check();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    await page.screenshot({ path: resolve(DOCS, 'screenshot-models.png') });
  } finally {
    await ws.close();
  }
}

/** Live mode on the MOSI clip, driven as an annotator does: number keys while it plays, then a trace by mouse. */
async function liveShot(): Promise<void> {
  const ws = await startWorkspace({ openProject: true });
  try {
    const media = await ws.handlers['media:add']({ path: MOSI_CLIP });
    await ws.handlers['segments:create']({ mediaId: media.id, start: 5.1, end: 7.3, text: 'the interesting idiosyncratic failure' });
    const page = await ws.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('sentiscope.annotator', 'alice'));
    await page.goto(ws.server.url);
    await page.getByTestId('media-item').first().click();
    await page.locator('[data-testid=waveform] canvas').first().waitFor({ timeout: 20_000 });
    const mediaTime = () => page.evaluate(() => document.querySelector('video')!.currentTime);
    const until = async (time: number) => {
      while ((await mediaTime()) < time) await page.waitForTimeout(10);
    };
    await page.keyboard.press('v');
    await page.getByTestId('play').click();
    for (const [time, key] of [
      [2.4, '2'],
      [4.9, '5'],
      [6.0, '3'],
    ] as const) {
      await until(time);
      await page.keyboard.press(key);
    }
    await page.waitForTimeout(400);
    await page.screenshot({ path: resolve(DOCS, 'live-mode.png') });
    // The clip plays to its end before the trace is switched on (else the last 0.1 s is a take).
    while (!(await page.evaluate(() => document.querySelector('video')!.paused))) await page.waitForTimeout(20);

    // The trace at half speed: from the start, the mouse's height over the strip follows a slow wave.
    await page.keyboard.press('c');
    await page.getByTestId('speed').selectOption('0.5');
    const seekStrip = (await page.getByTestId('sentiment-strip').boundingBox())!;
    await page.mouse.click(seekStrip.x + 1, seekStrip.y + seekStrip.height / 2);
    // The strip is measured at each move (its place may shift as the page lays out); mouse.move, unlike
    // hover, never scrolls the panel.
    const stripEl = page.getByTestId('trace-strip');
    const moveTo = async (value: number, across = 0.5) => {
      const box = (await stripEl.boundingBox())!;
      await page.mouse.move(box.x + box.width * across, box.y + 2 + ((3 - value) / 6) * (box.height - 4));
    };
    await moveTo(0);
    await page.keyboard.press(' ');
    for (let time = 0; time < 6.8; time = await mediaTime()) {
      await moveTo(Math.max(-2.9, Math.min(2.9, 2.4 * Math.sin(time * 1.3) - 0.4 * time + 1)));
      await page.waitForTimeout(30);
    }
    await page.keyboard.press(' ');
    await page.getByTestId('trace-recording').waitFor({ state: 'detached' });
    await moveTo(-1.5, 0.9);
    await page.waitForTimeout(600);
    await page.screenshot({ path: resolve(DOCS, 'live-trace.png') });
  } finally {
    await ws.close();
  }
}

// SHOTS=prediction (comma-separated) takes only those.
const SHOTS: Record<string, () => Promise<void>> = {
  mosi: mosiShot,
  prediction: predictionShot,
  mvsa: mvsaShot,
  models: modelsShot,
  live: liveShot,
};
const wanted = process.env.SHOTS ? process.env.SHOTS.split(',') : Object.keys(SHOTS);
for (const name of wanted) await SHOTS[name]();
console.log(`wrote the screenshots: ${wanted.join(', ')}`);
