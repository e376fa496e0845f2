// Shared set-up of the workspace e2e tests: the current renderer built into a temp folder
// (so parallel test files never race on out/web), the real contract handlers over a temp
// project and data dir behind the loopback server, and headless Chromium.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { startLoopbackServer, type LoopbackServer } from '../../src/server/loopback-server';

export const CHROMIUM = '/usr/bin/chromium';

export interface Workspace {
  tmp: string;
  projectPath: string;
  server: LoopbackServer;
  handlers: ServedContract;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the renderer as it is now into `outDir` (vite, browser-mode config). */
export function buildWeb(outDir: string): void {
  execFileSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--outDir', outDir, '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}

export async function startWorkspace(options: { projectPath?: (tmp: string) => string; openProject?: boolean } = {}): Promise<Workspace> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Chromium (Debian: apt-get install chromium) to run the e2e tests`);
  }
  const tmp = await mkdtemp(join(tmpdir(), 'sentiscope-ws-e2e-'));
  const webRoot = join(tmp, 'web');
  buildWeb(webRoot);
  const projectPath = options.projectPath?.(tmp) ?? join(tmp, 'study.sentiscope');
  const handlers = createContractHandlers({
    shell: 'browser',
    version: '0.1.0',
    dataDir: join(tmp, 'data'),
    projectPath: options.openProject ? projectPath : undefined,
  });
  const server = await startLoopbackServer({
    handlers,
    webRoot,
    resolveMediaPath: (id) => handlers.resolveMediaPath(id),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    tmp,
    projectPath,
    server,
    handlers,
    browser,
    async close() {
      await browser.close();
      await server.close();
      handlers.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Page errors and console errors, collected so a test can assert there were none. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Drags on the waveform from time a to time b (seconds), as a user does with the mouse. */
export async function dragOnWaveform(page: Page, duration: number, a: number, b: number): Promise<void> {
  const box = await page.getByTestId('waveform').boundingBox();
  if (!box) throw new Error('the waveform is not on screen');
  const y = box.y + box.height * 0.5;
  const x = (t: number) => box.x + (t / duration) * box.width;
  await page.mouse.move(x(a), y);
  await page.mouse.down();
  await page.mouse.move(x((a + b) / 2), y, { steps: 6 });
  await page.mouse.move(x(b), y, { steps: 6 });
  await page.mouse.up();
}
