// The per-user models folder: adding a pack from a folder (checked before it is copied),
// removing it, and downloading one by id from a model index over real HTTP — a server on
// 127.0.0.1 started here; tests never touch any other network. Also through the contract
// handlers and the `sentiscope models` subcommands.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ORIGIN_FILE,
  addModelFromFolder,
  downloadModel,
  listInstalledModels,
  loadModelPack,
  packFolderFor,
  removeAddedModel,
  type ModelRoots,
} from '../../src/core/models';
import { DEFAULT_VISUAL_RECIPE } from '../../src/core/analysis/face';
import { createContractHandlers } from '../../src/core/services/contract-handlers';
import type { ModelDownloadProgress, ModelDownloadStatus } from '../../src/shared/model-catalog';
import { SentiscopeError } from '../../src/shared/errors';

const FIXTURE_SOURCE = resolve('tests/fixtures/packs/tiny-late-fusion');
/** The fixture pack as this build reads it (see beforeAll). */
let FIXTURE: string;
const PACK_FILES = ['manifest.json', 'fusion.onnx', 'vocab.txt'];
const BIN = resolve('bin/sentiscope.js');

let tmp: string;
let server: Server;
let base: string;
/** path -> what the server sends: the bytes, or a cut-off after `cutAfter` bytes. */
const routes = new Map<string, { body: Buffer; cutAfter?: number }>();

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Serves the fixture pack under /packs/<id>/ and an index listing it at /<name>.json. */
function publish(name: string, id: string, tamper: { file?: string; sha?: string; cutAfter?: number } = {}): string {
  const files = PACK_FILES.map((path) => {
    let body = readFileSync(join(FIXTURE, path));
    if (path === 'manifest.json') body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString('utf8')), id }, null, 2));
    const url = `packs/${name}/${path}`;
    routes.set(`/${url}`, { body, cutAfter: tamper.file === path ? tamper.cutAfter : undefined });
    return { path, url, bytes: body.length, sha256: tamper.file === path && tamper.sha ? tamper.sha : sha256(body) };
  });
  const index = { format: 'sentiscope-model-index', formatVersion: 1, models: [{ id, version: '0.0.1', files }] };
  routes.set(`/${name}.json`, { body: Buffer.from(JSON.stringify(index)) });
  return `${base}/${name}.json`;
}

/** A copy of the fixture pack with another id. */
function packCopy(id: string): string {
  const dir = join(tmp, 'sources', id);
  cpSync(FIXTURE, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, id }, null, 2));
  return dir;
}

function rootsFor(name: string): ModelRoots {
  return { shipped: join(tmp, name, 'shipped'), added: join(tmp, name, 'added') };
}

/** Everything in a folder, dot folders included (a half-finished copy would show here). */
function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function rejection(promise: Promise<unknown>): Promise<SentiscopeError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SentiscopeError);
    return err as SentiscopeError;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sentiscope-models-user-'));
  // What is tested here is copying, downloading and listing packs, not recipes: the
  // fixture's visual recipe is brought up to this build's, so a recipe change elsewhere
  // (which the runtime tests catch) does not turn every pack here into a refused one.
  FIXTURE = join(tmp, 'fixture', 'tiny-late-fusion');
  cpSync(FIXTURE_SOURCE, FIXTURE, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(FIXTURE, 'manifest.json'), 'utf8'));
  manifest.inputs.visual.recipe = DEFAULT_VISUAL_RECIPE;
  writeFileSync(join(FIXTURE, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await loadModelPack(FIXTURE);
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404).end('no such file');
      return;
    }
    res.writeHead(200, { 'content-length': route.body.length, 'content-type': 'application/octet-stream' });
    if (route.cutAfter === undefined) {
      res.end(route.body);
      return;
    }
    // Part of the body, then the connection drops (what a network failure looks like).
    res.write(route.body.subarray(0, route.cutAfter), () => setTimeout(() => res.socket?.destroy(), 20));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(() => routes.clear());

describe('adding a pack from a folder', () => {
  it('copies a checked pack under its id, lists it as added with its origin, and removes it', async () => {
    const roots = rootsFor('add');
    cpSync(FIXTURE, join(roots.shipped, 'tiny-late-fusion'), { recursive: true });
    const source = packCopy('tiny-added');
    const pack = await addModelFromFolder(source, roots);
    expect(pack.dir).toBe(join(roots.added!, 'tiny-added'));
    expect(entries(roots.added!)).toEqual(['tiny-added']);
    for (const file of PACK_FILES) expect(readFileSync(join(pack.dir, file))).toEqual(readFileSync(join(source, file)));

    const models = await listInstalledModels(roots);
    const shipped = models.find((m) => m.id === 'tiny-late-fusion')!;
    const added = models.find((m) => m.id === 'tiny-added')!;
    expect(shipped).toMatchObject({ root: 'shipped', isDefault: true, origin: null, problem: null });
    expect(added).toMatchObject({
      kind: 'fusion-pack',
      root: 'added',
      isDefault: false,
      problem: null,
      license: 'MIT',
      location: pack.dir,
    });
    expect(added.origin).toMatchObject({ from: 'folder', location: source });
    expect(added.source).toContain(source);
    expect(added.bytes).toBeGreaterThan(statSync(join(source, 'fusion.onnx')).size);
    expect(added.pack?.modalities).toEqual(['text', 'audio', 'visual']);

    // An analysis naming the added id runs its folder; shipped ids stay ids.
    expect(await packFolderFor('tiny-added', roots)).toBe(pack.dir);
    expect(await packFolderFor('tiny-late-fusion', roots)).toBe('tiny-late-fusion');

    const shippedRemoval = await rejection(removeAddedModel('tiny-late-fusion', roots));
    expect(shippedRemoval.message).toMatch(/ships with Sentiscope.*cannot be removed/);
    expect(await removeAddedModel('tiny-added', roots)).toBe(pack.dir);
    expect(entries(roots.added!)).toEqual([]);
    expect(existsSync(join(roots.shipped, 'tiny-late-fusion', 'fusion.onnx'))).toBe(true);
    expect((await rejection(removeAddedModel('tiny-added', roots))).code).toBe('not-found');
  });

  it('refuses a folder missing a file, naming it, before copying anything', async () => {
    const roots = rootsFor('missing');
    const source = packCopy('tiny-broken');
    rmSync(join(source, 'vocab.txt'));
    const err = await rejection(addModelFromFolder(source, roots));
    expect(err.code).toBe('file-missing');
    expect(err.message).toContain('vocab.txt');
    expect(entries(roots.added!)).toEqual([]);
  });

  it('refuses an id already installed, shipped or added, saying so', async () => {
    const roots = rootsFor('clash');
    cpSync(FIXTURE, join(roots.shipped, 'tiny-late-fusion'), { recursive: true });
    const err = await rejection(addModelFromFolder(FIXTURE, roots));
    expect(err.message).toMatch(/id "tiny-late-fusion" is already installed/);
    expect(err.message).toContain(join(roots.shipped, 'tiny-late-fusion'));

    const source = packCopy('tiny-twice');
    await addModelFromFolder(join(source, 'manifest.json'), roots);
    const again = await rejection(addModelFromFolder(source, roots));
    expect(again.message).toMatch(/id "tiny-twice" is already installed/);
    expect(entries(roots.added!)).toEqual(['tiny-twice']);
  });
});

describe('downloading a pack by id', () => {
  it('streams every file with progress, checks the checksums and installs the pack', async () => {
    const roots = rootsFor('download');
    const indexUrl = publish('good', 'tiny-downloaded');
    const events: ModelDownloadProgress[] = [];
    const pack = await downloadModel({ indexUrl, id: 'tiny-downloaded' }, roots, { onProgress: (p) => events.push(p) });
    expect(pack.dir).toBe(join(roots.added!, 'tiny-downloaded'));
    expect(pack.manifest.id).toBe('tiny-downloaded');
    expect(entries(pack.dir).sort()).toEqual([ORIGIN_FILE, ...PACK_FILES].sort());
    for (const file of ['fusion.onnx', 'vocab.txt']) expect(readFileSync(join(pack.dir, file))).toEqual(readFileSync(join(FIXTURE, file)));

    const total = PACK_FILES.reduce((sum, f) => sum + routes.get(`/packs/good/${f}`)!.body.length, 0);
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.total === total)).toBe(true);
    for (let i = 1; i < events.length; i++) {
      expect(events[i].bytes).toBeGreaterThanOrEqual(events[i - 1].bytes);
      expect(events[i].percent).toBeGreaterThanOrEqual(events[i - 1].percent);
    }
    expect(events[0]).toMatchObject({ bytes: 0, percent: 0 });
    expect(events.at(-1)).toMatchObject({ bytes: total, percent: 100, file: null });
    expect(new Set(events.map((e) => e.file).filter(Boolean))).toEqual(new Set(PACK_FILES));

    const listed = (await listInstalledModels(roots)).find((m) => m.id === 'tiny-downloaded')!;
    expect(listed).toMatchObject({ root: 'added', problem: null, origin: { from: 'download', location: indexUrl } });
    expect(listed.source).toContain(`downloaded from ${indexUrl}`);
  });

  it('refuses a file whose checksum differs, naming it, and installs nothing', async () => {
    const roots = rootsFor('checksum');
    const indexUrl = publish('tampered', 'tiny-tampered', { file: 'fusion.onnx', sha: '0'.repeat(64) });
    const err = await rejection(downloadModel({ indexUrl, id: 'tiny-tampered' }, roots));
    expect(err.message).toMatch(/Checksum mismatch for fusion\.onnx/);
    expect(err.message).toContain(`${base}/packs/tampered/fusion.onnx`);
    expect(entries(roots.added!)).toEqual([]);
  });

  it('installs nothing when the connection breaks off mid-file', async () => {
    const roots = rootsFor('interrupted');
    const indexUrl = publish('cut', 'tiny-cut', { file: 'fusion.onnx', cutAfter: 3000 });
    const events: ModelDownloadProgress[] = [];
    const err = await rejection(downloadModel({ indexUrl, id: 'tiny-cut' }, roots, { onProgress: (p) => events.push(p) }));
    expect(err.message).toMatch(/fusion\.onnx/);
    expect(err.message).toMatch(/broke off|ended after/);
    expect(events.some((e) => e.file === 'fusion.onnx')).toBe(true);
    expect(events.at(-1)!.percent).toBeLessThan(100);
    expect(entries(roots.added!)).toEqual([]);
  });

  it('says which ids an index has when the one asked for is not there, and refuses non-http URLs', async () => {
    const roots = rootsFor('unknown');
    const indexUrl = publish('listed', 'tiny-listed');
    const err = await rejection(downloadModel({ indexUrl, id: 'nope' }, roots));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain('tiny-listed');
    const missing = await rejection(downloadModel({ indexUrl: `${base}/no-index.json`, id: 'x' }, roots));
    expect(missing.message).toMatch(/HTTP 404/);
    const file = await rejection(downloadModel({ indexUrl: `file://${join(tmp, 'index.json')}`, id: 'x' }, roots));
    expect(file.message).toMatch(/only http:\/\/ and https:\/\//);
    expect(entries(roots.added!)).toEqual([]);
  });
});

describe('the models channels', () => {
  it('lists, adds, downloads with progress and removes through the contract handlers', async () => {
    const roots = rootsFor('contract');
    cpSync(FIXTURE, join(roots.shipped, 'tiny-late-fusion'), { recursive: true });
    const handlers = createContractHandlers({ shell: 'browser', version: '0.0.0', dataDir: join(tmp, 'contract-data'), modelRoots: roots });
    try {
      const before = await handlers['models:list']();
      expect(before.roots).toEqual({ ...roots, pretrained: join(tmp, 'contract', 'pretrained') });
      expect(before.provider).toEqual({ device: 'auto', lastUsed: null, lastModel: null });
      expect(before.models.filter((m) => m.kind === 'fusion-pack').map((m) => `${m.id}:${m.root}`)).toEqual(['tiny-late-fusion:shipped']);
      expect(before.models.filter((m) => m.kind === 'component').map((m) => m.id)).toEqual([
        'face/blazeface',
        'face/emotion',
        'vad/silero',
      ]);

      const added = await handlers['models:add']({ path: packCopy('tiny-contract') });
      expect(added).toMatchObject({ id: 'tiny-contract', root: 'added', kind: 'fusion-pack' });

      const indexUrl = publish('contract', 'tiny-fetched');
      const started = await handlers['models:download']({ indexUrl, id: 'tiny-fetched' });
      expect(started.state).toBe('running');
      let status: ModelDownloadStatus = started;
      while (status.state === 'running') {
        await new Promise((ok) => setTimeout(ok, 20));
        [status] = await handlers['models:downloadStatus']({ jobId: started.jobId });
      }
      expect(status.error).toBeNull();
      expect(status).toMatchObject({ state: 'done', installedAt: join(roots.added!, 'tiny-fetched') });
      expect(status.progress.percent).toBe(100);
      expect(status.progress.bytes).toBe(status.progress.total);

      const after = await handlers['models:list']();
      expect(after.models.filter((m) => m.root === 'added').map((m) => m.id)).toEqual(['tiny-contract', 'tiny-fetched']);
      await handlers['models:remove']({ id: 'tiny-contract' });
      const end = await handlers['models:list']();
      expect(end.models.filter((m) => m.root === 'added').map((m) => m.id)).toEqual(['tiny-fetched']);
      await loadModelPack(join(roots.added!, 'tiny-fetched'));
    } finally {
      handlers.close();
    }
  });
});

describe('sentiscope models add / download / remove', () => {
  const run = promisify(execFile);
  const cli = (args: string[], env: NodeJS.ProcessEnv) =>
    run(process.execPath, [BIN, 'models', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

  it('adds, downloads (progress on stderr), lists where each came from, and removes', async () => {
    const shipped = join(tmp, 'cli', 'shipped');
    cpSync(FIXTURE, join(shipped, 'tiny-late-fusion'), { recursive: true });
    const dataDir = join(tmp, 'cli', 'data');
    const env = { SENTISCOPE_MODELS: shipped, SENTISCOPE_DATA_DIR: dataDir };

    const source = packCopy('tiny-cli');
    const add = await cli(['add', source], env);
    expect(add.stderr).toContain(`added tiny-cli 0.0.1 at ${join(dataDir, 'models', 'tiny-cli')}`);
    expect(JSON.parse(add.stdout)).toMatchObject({ kind: 'fusion-pack', id: 'tiny-cli', dir: join(dataDir, 'models', 'tiny-cli') });

    const indexUrl = publish('cli', 'tiny-cli-fetched');
    const download = await cli(['download', 'tiny-cli-fetched', '--index', indexUrl], env);
    expect(download.stderr).toContain(`downloaded tiny-cli-fetched 0.0.1 to ${join(dataDir, 'models', 'tiny-cli-fetched')}`);
    expect(JSON.parse(download.stdout)).toMatchObject({ id: 'tiny-cli-fetched', version: '0.0.1', from: indexUrl });
    const percents = [...download.stderr.matchAll(/: (\d+)% \(/g)].map((m) => Number(m[1]));
    expect(percents[0]).toBe(0);
    expect(percents.at(-1)).toBe(100);

    const listing = await cli([], env);
    const models = JSON.parse(listing.stdout) as { id: string; root: string; source: string }[];
    expect(models.filter((m) => m.root === 'added').map((m) => m.id)).toEqual(['tiny-cli', 'tiny-cli-fetched']);
    expect(models.find((m) => m.id === 'tiny-cli')!.source).toContain(`added from ${source}`);
    const text = await cli(['--table'], env);
    expect(text.stdout).toMatch(/pack {2}tiny-late-fusion {2}0\.0\.1 {2}\[shipped\] {2}\(default\)/);
    expect(text.stdout).toMatch(/pack {2}tiny-cli-fetched {2}0\.0\.1 {2}\[added\]/);

    const removed = await cli(['remove', 'tiny-cli'], env);
    expect(removed.stderr).toContain('removed tiny-cli');
    expect(JSON.parse(removed.stdout)).toEqual({ id: 'tiny-cli', dir: join(dataDir, 'models', 'tiny-cli') });
    const refused = await cli(['remove', 'tiny-late-fusion'], env).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/ships with Sentiscope/);
    expect(entries(join(dataDir, 'models'))).toEqual(['tiny-cli-fetched']);

    // SENTISCOPE_MODELS alone pins the models: no per-user folder is read.
    const pinned = await cli([], { SENTISCOPE_MODELS: shipped, SENTISCOPE_DATA_DIR: undefined });
    expect((JSON.parse(pinned.stdout) as { root: string }[]).some((m) => m.root === 'added')).toBe(false);
  }, 120_000);
});
