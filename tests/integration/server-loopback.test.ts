// Browser mode over real HTTP: token auth (Bearer and cookie), the contract's channels,
// errors that keep their code, Range on the real MOSI clip, static files, and the
// loopback-only / Host guards.

import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, ChannelName, ContractHandlers } from '../../src/shared/contract';
import type { Segment } from '../../src/shared/domain';
import { SentiscopeError, type SerializedError } from '../../src/shared/errors';
import { isLoopbackAddress, tokensMatch } from '../../src/server/auth';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import { startLoopbackServer, type LoopbackServer } from '../../src/server/loopback-server';

const MOSI_CLIP = resolve('../shared/data/mosi/media/Oz06ZWiO20M_6.mp4');
const CLIP_ID = 7;

/** The test's input: a handler object shaped like the core's, with a little state. */
function makeHandlers(projectPath: string): ContractHandlers {
  const segments: Segment[] = [];
  const unused = (channel: ChannelName) => () => {
    throw new SentiscopeError('internal', `${channel} is not used by this test`);
  };
  const info: AppInfo = {
    version: '0.0.0-test',
    shell: 'browser',
    ffmpeg: null,
    ffprobe: null,
    projectPath,
  };
  return {
    'app:info': () => info,
    'project:open': ({ path }) => {
      throw new SentiscopeError('file-missing', `Project file not found: ${path}. Check the path.`, path);
    },
    'project:current': () => null,
    'media:add': unused('media:add'),
    'media:list': () => [],
    'media:peaksPacked': unused('media:peaksPacked'),
    'media:spectrogram': unused('media:spectrogram'),
    'dialog:openFile': unused('dialog:openFile'),
    'dialog:saveFile': unused('dialog:saveFile'),
    'segments:list': ({ mediaId }) => segments.filter((s) => s.mediaId === mediaId),
    'segments:create': ({ mediaId, start, end, text }) => {
      if (end <= start) throw new SentiscopeError('bad-request', `segment end ${end} must be after its start ${start}`);
      const segment: Segment = {
        id: segments.length + 1,
        mediaId,
        clipId: String(segments.length + 1),
        start,
        end,
        source: 'manual',
        text: text ?? '',
        words: null,
        split: null,
        aligned: true,
      };
      segments.push(segment);
      return segment;
    },
    'segments:update': unused('segments:update'),
    'segments:split': unused('segments:split'),
    'segments:merge': unused('segments:merge'),
    'segments:restore': unused('segments:restore'),
    'labels:delete': unused('labels:delete'),
    'segments:delete': unused('segments:delete'),
    'labels:list': unused('labels:list'),
    'labels:setMosi': unused('labels:setMosi'),
    'labels:setMvsa': unused('labels:setMvsa'),
    'project:combine': unused('project:combine'),
    'agreement:report': unused('agreement:report'),
    'adjudication:queue': unused('adjudication:queue'),
    'adjudication:setMosi': unused('adjudication:setMosi'),
    'adjudication:setMvsa': unused('adjudication:setMvsa'),
    'adjudication:clear': unused('adjudication:clear'),
    'predictions:list': unused('predictions:list'),
    'traces:list': unused('traces:list'),
    'traces:replace': unused('traces:replace'),
    'analysis:start': unused('analysis:start'),
    'analysis:status': unused('analysis:status'),
    'analysis:cancel': unused('analysis:cancel'),
    'models:list': unused('models:list'),
    'models:add': unused('models:add'),
    'models:remove': unused('models:remove'),
    'models:download': unused('models:download'),
    'models:downloadStatus': unused('models:downloadStatus'),
    'models:downloadCancel': unused('models:downloadCancel'),
    'models:catalog': unused('models:catalog'),
    'models:get': unused('models:get'),
    'queue:list': unused('queue:list'),
    'refit:start': unused('refit:start'),
    'refit:status': unused('refit:status'),
    'refit:cancel': unused('refit:cancel'),
    'refit:curve': unused('refit:curve'),
    'io:import': unused('io:import'),
    'io:export': unused('io:export'),
  };
}

function resolveMediaPath(mediaId: number): string {
  if (mediaId === CLIP_ID) return MOSI_CLIP;
  throw new SentiscopeError('not-found', `no media with id ${mediaId} in this project`);
}

/** Raw HTTP for what fetch will not send (a forged Host header, an un-normalised path). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

interface Reply {
  ok?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read into it
  result?: any;
  /** Absent on success: reading it then throws, which fails the test. */
  error: SerializedError;
}
const json = async (res: Response): Promise<Reply> => (await res.json()) as Reply;

let server: LoopbackServer;
let tmp: string;
let webRoot: string;
const projectPath = join(tmpdir(), 'sentiscope-server-test-project.sentiscope');

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sentiscope-server-'));
  webRoot = join(tmp, 'web');
  await mkdir(join(webRoot, 'assets'), { recursive: true });
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>shell</title><div id="app"></div>');
  await writeFile(join(webRoot, 'assets', 'app-1234.js'), 'console.log("app");');
  await writeFile(join(tmp, 'secret.txt'), 'not for the browser');
  server = await startLoopbackServer({ handlers: makeHandlers(projectPath), webRoot, resolveMediaPath });
});

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const bearer = () => ({ Authorization: `Bearer ${server.token}` });
const call = (channel: string, body: unknown, headers: Record<string, string> = bearer()) =>
  fetch(`${server.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('address and token', () => {
  it('prints a 127.0.0.1 URL carrying a fresh 256-bit token', async () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe(String(server.port));
    expect(url.searchParams.get('token')).toBe(server.token);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    const other = await startLoopbackServer({ handlers: makeHandlers(projectPath), webRoot: null, resolveMediaPath });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await canConnect('127.0.0.1', server.port)).toBe(true);
    expect(await canConnect('127.0.0.2', server.port)).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of external) expect(await canConnect(address, server.port)).toBe(false);
  });

  it('answers ping with the Bearer token, 401 without it or with a wrong one', async () => {
    const ok = await fetch(`${server.origin}/api/ping`, { headers: bearer() });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ ok: true });

    const missing = await fetch(`${server.origin}/api/ping`);
    expect(missing.status).toBe(401);
    expect((await json(missing)).error.code).toBe('bad-request');

    const wrong = await fetch(`${server.origin}/api/ping`, { headers: { Authorization: `Bearer ${'x'.repeat(43)}` } });
    expect(wrong.status).toBe(401);
    const cookieWrong = await fetch(`${server.origin}/api/ping`, { headers: { Cookie: 'sentiscope_token=nope' } });
    expect(cookieWrong.status).toBe(401);
  });

  it('swaps ?token= for an HttpOnly SameSite=Strict cookie and redirects to a clean URL', async () => {
    const first = await fetch(`${server.origin}/workspace?token=${server.token}&media=3`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/workspace?media=3');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain(`sentiscope_token=${server.token}`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//i);

    const cookie = setCookie.split(';')[0];
    const page = await fetch(`${server.origin}/workspace?media=3`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const ping = await fetch(`${server.origin}/api/ping`, { headers: { Cookie: `other=1; ${cookie}` } });
    expect(ping.status).toBe(200);
    const info = await call('app:info', undefined, { Cookie: cookie });
    expect((await json(info)).result.projectPath).toBe(projectPath);
  });

  it('refuses a wrong ?token= and a page without any token', async () => {
    const wrong = await fetch(`${server.origin}/?token=guess`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('sentiscope serve');
    const bare = await fetch(`${server.origin}/`);
    expect(bare.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const forged = await rawGet(server.port, '/api/ping', { ...bearer(), Host: `evil.example:${server.port}` });
    expect(forged.status).toBe(403);
    const otherPort = await rawGet(server.port, '/api/ping', { ...bearer(), Host: `127.0.0.1:${server.port + 1}` });
    expect(otherPort.status).toBe(403);
    const localhost = await rawGet(server.port, '/api/ping', { ...bearer(), Host: `localhost:${server.port}` });
    expect(localhost.status).toBe(200);
  });

  it('refuses calls made from another origin', async () => {
    const res = await call('app:info', undefined, { ...bearer(), Origin: 'http://127.0.0.1:1' });
    expect(res.status).toBe(403);
    const own = await call('app:info', undefined, { ...bearer(), Origin: server.origin });
    expect(own.status).toBe(200);
  });

  it('tells loopback peers from others and compares tokens exactly', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:192.168.1.2', '0.0.0.0', '', undefined]) expect(isLoopbackAddress(a)).toBe(false);
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('abc', '')).toBe(false);
  });
});

describe('the contract over POST /api/<channel>', () => {
  it('answers a channel with { result }', async () => {
    const res = await call('app:info', undefined);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.result).toEqual({
      version: '0.0.0-test',
      shell: 'browser',
      ffmpeg: null,
      ffprobe: null,
      projectPath,
    });
    const created = await call(encodeURIComponent('segments:create'), { mediaId: CLIP_ID, start: 1.5, end: 3 });
    expect(created.status).toBe(200);
    const listed = await json(await call('segments:list', { mediaId: CLIP_ID }));
    expect(listed.result).toHaveLength(1);
    expect(listed.result[0]).toMatchObject({ mediaId: CLIP_ID, start: 1.5, end: 3, source: 'manual' });
  });

  it('404s a channel outside the contract', async () => {
    const res = await call('fs:readFile', { path: '/etc/passwd' });
    expect(res.status).toBe(404);
    expect((await json(res)).error.message).toContain('fs:readFile');
    expect((await call('toString', undefined)).status).toBe(404);
    expect((await call('__proto__', undefined)).status).toBe(404);
  });

  it('400s an invalid request, naming the field', async () => {
    const res = await call('segments:create', { mediaId: 'seven', start: 0, end: 1 });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('mediaId');

    const extra = await call('segments:list', { mediaId: 1, sql: 'drop table' });
    expect(extra.status).toBe(400);
    expect((await json(extra)).error.message).toContain('sql');

    const notJson = await fetch(`${server.origin}/api/segments:list`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: '{"mediaId": ',
    });
    expect(notJson.status).toBe(400);
  });

  it('keeps a handler error code, message, file and stack across HTTP', async () => {
    const res = await call('project:open', { path: '/nowhere/p.sentiscope' });
    expect(res.status).toBe(404);
    const { stack, ...shown } = (await json(res)).error;
    expect(shown).toEqual({
      code: 'file-missing',
      message: 'Project file not found: /nowhere/p.sentiscope. Check the path.',
      file: '/nowhere/p.sentiscope',
    });
    expect(stack).toContain('SentiscopeError: Project file not found');
    const backwards = await call('segments:create', { mediaId: CLIP_ID, start: 3, end: 1 });
    expect(backwards.status).toBe(400);
    expect((await json(backwards)).error.message).toBe('segment end 1 must be after its start 3');
    const unusedChannel = await call('media:peaksPacked', { mediaId: 1 });
    expect(unusedChannel.status).toBe(500);
    expect((await json(unusedChannel)).error.code).toBe('internal');
  });

  it('refuses GET on a channel, a non-JSON body and a body over 1 MB', async () => {
    const get = await fetch(`${server.origin}/api/app:info`, { headers: bearer() });
    expect(get.status).toBe(405);
    const text = await fetch(`${server.origin}/api/segments:list`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'text/plain' },
      body: '{"mediaId":1}',
    });
    expect(text.status).toBe(415);
    const huge = await call('media:add', { path: 'x'.repeat(1024 * 1024 + 10) });
    expect(huge.status).toBe(413);
  });
});

describe('GET /media/<id>', () => {
  it('answers a Range with 206 and exactly those bytes of the MOSI clip', async () => {
    const file = await readFile(MOSI_CLIP);
    const res = await fetch(`${server.origin}/media/${CLIP_ID}`, { headers: { ...bearer(), Range: 'bytes=1000-4999' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 1000-4999/${file.length}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(4000);
    expect(bytes.equals(file.subarray(1000, 5000))).toBe(true);

    const tail = await fetch(`${server.origin}/media/${CLIP_ID}`, { headers: { ...bearer(), Range: 'bytes=-500' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(file.length - 500))).toBe(true);
  });

  it('sends the whole file without Range, 416 past its end', async () => {
    const { size } = await stat(MOSI_CLIP);
    const whole = await fetch(`${server.origin}/media/${CLIP_ID}`, { headers: bearer() });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toMatch(/^video\/mp4/);
    expect(Buffer.from(await whole.arrayBuffer()).equals(await readFile(MOSI_CLIP))).toBe(true);

    const past = await fetch(`${server.origin}/media/${CLIP_ID}`, {
      headers: { ...bearer(), Range: `bytes=${size + 10}-${size + 20}` },
    });
    expect(past.status).toBe(416);
    await past.arrayBuffer();
  });

  it('needs the token, and names an unknown media id', async () => {
    const anonymous = await fetch(`${server.origin}/media/${CLIP_ID}`, { headers: { Range: 'bytes=0-99' } });
    expect(anonymous.status).toBe(401);
    const unknown = await fetch(`${server.origin}/media/99`, { headers: bearer() });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toContain('99');
    const notAnId = await fetch(`${server.origin}/media/..%2f..%2fetc%2fpasswd`, { headers: bearer() });
    expect(notAnId.status).toBe(400);
  });
});

describe('static files', () => {
  it('serves the app with its content type and the one CSP', async () => {
    const page = await fetch(`${server.origin}/`, { headers: bearer() });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    await page.text();

    const script = await fetch(`${server.origin}/assets/app-1234.js`, { headers: bearer() });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("app");');

    const missingAsset = await fetch(`${server.origin}/assets/nope.js`, { headers: bearer() });
    expect(missingAsset.status).toBe(404);
    const spaPage = await fetch(`${server.origin}/projects/3`, { headers: bearer() });
    expect(await spaPage.text()).toContain('<div id="app">');
  });

  it('never serves a file outside webRoot', async () => {
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/..\\secret.txt']) {
      const res = await rawGet(server.port, path, bearer());
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('not for the browser');
    }
  });

  it('says to run npm run build:web when there is no built app', async () => {
    const bare = await startLoopbackServer({ handlers: makeHandlers(projectPath), webRoot: null, resolveMediaPath });
    try {
      const res = await fetch(`${bare.origin}/`, { headers: { Authorization: `Bearer ${bare.token}` } });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:web');
      const ping = await fetch(`${bare.origin}/api/ping`, { headers: { Authorization: `Bearer ${bare.token}` } });
      expect(ping.status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('carries the same CSP in the renderer page as in the headers', async () => {
    const html = await readFile(resolve('src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('reports a port already in use as a SentiscopeError', async () => {
    await expect(
      startLoopbackServer({ handlers: makeHandlers(projectPath), webRoot: null, resolveMediaPath, port: server.port }),
    ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining(String(server.port)) });
  });
});
