// Browser mode end to end: the built renderer (out/web) in headless Chromium, served by
// the loopback server, shows app info it fetched over the contract — with the token
// moved from the URL into a cookie and no CSP violation on the way.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaTools } from '../../src/core/media/media-tools';
import type { AppInfo, ChannelName, ContractHandlers } from '../../src/shared/contract';
import { SentiscopeError } from '../../src/shared/errors';
import { startLoopbackServer, type LoopbackServer } from '../../src/server/loopback-server';

const CHROMIUM = '/usr/bin/chromium';
const WEB_ROOT = resolve('out/web');
const MOSI_AUDIO = resolve('../shared/data/mosi/media/03bSnISJMiM_1.wav');
const AUDIO_ID = 4;

let server: LoopbackServer;
let browser: Browser;
let tmp: string;
let info: AppInfo;

function handlersServing(appInfo: AppInfo): ContractHandlers {
  const unused = (channel: ChannelName) => () => {
    throw new SentiscopeError('internal', `${channel} is not used by the shell test`);
  };
  // The workspace also asks which project is open when it starts (none here) and which models
  // are installed (none: it then offers the catalog).
  const handlers: Partial<ContractHandlers> = {
    'app:info': () => appInfo,
    'project:current': () => null,
    'models:list': () => ({
      models: [],
      roots: { shipped: '', added: null, pretrained: null },
      provider: { device: 'auto', lastUsed: null, lastModel: null },
    }),
  };
  return new Proxy(handlers, {
    get: (target, name) => (target as Record<string | symbol, unknown>)[name] ?? unused(name as ChannelName),
  }) as ContractHandlers;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Chromium (Debian: apt-get install chromium) to run the e2e tests`);
  }
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts'], { stdio: 'inherit' });
  }
  tmp = await mkdtemp(join(tmpdir(), 'sentiscope-e2e-'));
  const tools = resolveMediaTools();
  info = {
    version: '0.1.0',
    shell: 'browser',
    ffmpeg: tools.ffmpeg,
    ffprobe: tools.ffprobe,
    // A path no build could contain: the page can only show it by asking the server.
    projectPath: join(tmp, `study-${process.pid}-${Date.now()}.sentiscope`),
  };
  server = await startLoopbackServer({
    handlers: handlersServing(info),
    webRoot: WEB_ROOT,
    resolveMediaPath: (id) => {
      if (id === AUDIO_ID) return MOSI_AUDIO;
      throw new SentiscopeError('not-found', `no media ${id}`);
    },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('browser shell', () => {
  it('shows app info fetched over the contract, from the printed URL', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const calls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/')) calls.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });

    await page.goto(server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });

    expect(await page.locator('h1').textContent()).toBe('Sentiscope');
    expect(await page.getByTestId('project-path').textContent()).toBe(info.projectPath);
    expect(await page.getByTestId('app-version').textContent()).toBe('0.1.0 (browser)');
    const ffmpeg = await page.getByTestId('ffmpeg').textContent();
    expect(ffmpeg).toContain(info.ffmpeg!.version);
    expect(ffmpeg).toContain(info.ffmpeg!.path);
    expect(calls).toContain(`POST /api/${encodeURIComponent('app:info')}`);

    // The token left the address bar for an HttpOnly cookie.
    expect(page.url()).toBe(`${server.origin}/`);
    const cookies = await context.cookies(server.origin);
    const cookie = cookies.find((c) => c.name === 'sentiscope_token');
    expect(cookie).toMatchObject({ value: server.token, httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate('document.cookie')).toBe('');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('plays and seeks media from /media/<id> with the page cookie (Range -> 206)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const mediaStatuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === `/media/${AUDIO_ID}`) mediaStatuses.push(response.status());
    });
    await page.goto(server.url);
    await page.getByTestId('app-info').waitFor({ timeout: 20_000 });
    const played = (await page.evaluate(`new Promise((done, fail) => {
      const audio = document.createElement('audio');
      audio.preload = 'auto';
      audio.onerror = () => fail(new Error('media error ' + (audio.error && audio.error.code)));
      audio.onloadedmetadata = () => { audio.currentTime = audio.duration * 0.75; };
      audio.onseeked = () => done({ duration: audio.duration, currentTime: audio.currentTime });
      audio.src = '/media/${AUDIO_ID}';
      document.body.append(audio);
    })`)) as { duration: number; currentTime: number };
    expect(played.duration).toBeGreaterThan(1);
    expect(played.currentTime).toBeCloseTo(played.duration * 0.75, 1);
    expect(mediaStatuses.length).toBeGreaterThan(0);
    expect(mediaStatuses.every((status) => status === 200 || status === 206)).toBe(true);
    expect(mediaStatuses).toContain(206);
    await context.close();
  });

  it('shows only the token hint to a browser without the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(server.origin + '/');
    expect(response?.status()).toBe(401);
    expect(await page.locator('body').textContent()).toContain('sentiscope serve');
    expect(await page.getByTestId('app-info').count()).toBe(0);
    await context.close();
  });
});
