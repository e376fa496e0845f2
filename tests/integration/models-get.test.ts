// `sentiscope models get ID` against a loopback Hub (tests/helpers/loopback-hub.ts) serving the
// tiny Whisper the suite builds as a fake repo at a fake revision; SENTISCOPE_CATALOG points
// the catalog at it. Download with progress, then `transcribe` with the installed model;
// resume after a dropped connection (a Range request for the rest); a checksum mismatch (LFS
// sha256 and git blob id); a 404; no network; a full disk (/dev/full); Ctrl-C; and a cancel
// through the service's AbortSignal. Each failure is one line naming the file, and leaves
// nothing installed.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCatalogModel, modelRoots } from '../../src/core/models';
import { createContractHandlers } from '../../src/core/services/contract-handlers';
import { MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { catalogEntryFor, sha256, startLoopbackHub, tinyWhisperRepoFiles, type LoopbackHub } from '../helpers/loopback-hub';
import { SENTISCOPE_BIN, runSentiscope } from '../helpers/sentiscope-cli';
import { tinyWhisperFolder, tinyWhisperUnavailable } from '../helpers/tiny-whisper';

const REPO = 'sentiscope-test/whisper-tiny-fixture';
const REVISION = '0123456789abcdef0123456789abcdef01234567';
const ID = 'tiny-whisper';
/** The words the tiny Whisper was fitted to for MOSI_WAV. */
const WAV_EN = 'anyhow it was really good';
const DECODER = 'onnx/decoder_model_merged.onnx';
const ENCODER = 'onnx/encoder_model.onnx';

const unavailable = tinyWhisperUnavailable();
if (unavailable) console.warn(`models-get: SKIPPED — ${unavailable}`);

let tmp: string;
let hub: LoopbackHub;
let dataDir: string;
let run = 0;

function env(): NodeJS.ProcessEnv {
  const { SENTISCOPE_MODELS: _pinned, ...rest } = process.env;
  return { ...rest, SENTISCOPE_DATA_DIR: dataDir, SENTISCOPE_CATALOG: join(tmp, 'catalog.json'), HF_ENDPOINT: hub.url };
}

const installed = () => join(dataDir, 'pretrained', ID);
const partialDir = () => join(dataDir, 'models', `.partial-${ID}-${REVISION}`);
const body = (path: string) => hub.files.find((f) => f.path === path)!.body;
/** Lines the CLI printed as its failure (progress lines start with "download "). */
const failureLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('sentiscope '));

describe.skipIf(unavailable !== null)('sentiscope models get', () => {
  beforeAll(async () => {
    tmp = await makeTempDir('models-get-');
    hub = await startLoopbackHub({ repo: REPO, revision: REVISION, files: tinyWhisperRepoFiles(await tinyWhisperFolder()) });
    const catalog = [
      catalogEntryFor(hub, ID),
      catalogEntryFor(hub, 'gone-revision', { revision: 'f'.repeat(40) }),
      catalogEntryFor(hub, 'lacks-a-file', { files: [...hub.files.map((f) => f.path), 'onnx/missing.onnx'] }),
    ];
    writeFileSync(join(tmp, 'catalog.json'), JSON.stringify(catalog));
  }, 900_000);

  afterAll(async () => {
    await hub?.close();
    if (tmp) await removeTempDir(tmp);
  });

  beforeEach(() => {
    dataDir = join(tmp, `data-${++run}`);
    hub.requests.length = 0;
    hub.treeRequests.length = 0;
    hub.cutOnce.clear();
    hub.corrupt.clear();
    hub.slow.clear();
  });

  it('lists the test catalog, gets the model with progress, installs it checked, and transcribe runs it', async () => {
    const listed = await runSentiscope(['models', 'catalog'], env());
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((m) => m.id)).toEqual([ID, 'gone-revision', 'lacks-a-file']);

    const got = await runSentiscope(['models', 'get', ID], env());
    expect(got.code, got.stderr).toBe(0);
    expect(got.stderr).toContain(`got speech-recognizer ${ID} from ${hub.url} to ${installed()}\n`);
    expect(JSON.parse(got.stdout)).toEqual({ kind: 'speech-recognizer', id: ID, version: null, dir: installed(), from: hub.url });
    const total = hub.files.reduce((sum, f) => sum + f.body.length, 0);
    expect(got.stderr).toContain(`download ${ID}: 0% (0 of ${total} bytes)`);
    expect(got.stderr).toContain(`download ${ID}: 100% (${total} of ${total} bytes)`);
    expect(got.stderr).toContain(DECODER);

    // Every file as the Hub has it, in the Hub's layout; the listing was read page by page; no part left behind.
    for (const f of hub.files) expect(sha256(readFileSync(join(installed(), f.path)))).toBe(sha256(f.body));
    expect(hub.treeRequests.length).toBeGreaterThan(1);
    expect(hub.treeRequests[0]).toBe('?recursive=true');
    expect(hub.requests.every((r) => r.range === null && r.status === 200)).toBe(true);
    expect(readdirSync(join(dataDir, 'models'))).toEqual([]);

    const models = await runSentiscope(['models'], env());
    const row = (JSON.parse(models.stdout) as { id: string; kind: string; origin: { from: string; location: string } | null }[]).find(
      (m) => m.id === ID,
    );
    expect(row?.kind).toBe('speech-recognizer');
    expect(row?.origin).toMatchObject({ from: 'download', location: `${hub.url}/${REPO}/tree/${REVISION}` });

    const text = await runSentiscope(['transcribe', MOSI_WAV, '--asr', ID, '--language', 'en', '--format', 'txt'], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.trim()).toBe(WAV_EN);

    // The same id again is refused before anything is fetched.
    hub.requests.length = 0;
    const again = await runSentiscope(['models', 'get', ID], env());
    expect(again.code).toBe(1);
    expect(failureLines(again.stderr)).toHaveLength(1);
    expect(again.stderr).toContain(`"${ID}" is already installed`);
    expect(hub.requests).toEqual([]);
  }, 180_000);

  it('resumes after a dropped connection with a Range request for the rest', async () => {
    hub.cutOnce.add(DECODER);
    const first = await runSentiscope(['models', 'get', ID, '--hub', hub.url], env());
    expect(first.code).toBe(1);
    const lines = failureLines(first.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`The download of ${DECODER}`);
    expect(lines[0]).toContain('broke off');
    expect(lines[0]).toContain('run the same get again to resume');
    expect(existsSync(installed())).toBe(false);
    const part = statSync(join(partialDir(), DECODER)).size;
    expect(part).toBeGreaterThan(0);
    expect(part).toBeLessThan(body(DECODER).length);

    hub.requests.length = 0;
    const second = await runSentiscope(['models', 'get', ID], env());
    expect(second.code, second.stderr).toBe(0);
    // Only the rest of the decoder was asked for; the files already whole were not fetched again.
    expect(hub.requests.filter((r) => r.path === DECODER)).toEqual([{ path: DECODER, range: `bytes=${part}-`, status: 206 }]);
    expect(hub.requests.map((r) => r.path)).toEqual([DECODER]);
    expect(sha256(readFileSync(join(installed(), DECODER)))).toBe(sha256(body(DECODER)));
    expect(existsSync(partialDir())).toBe(false);
  }, 120_000);

  it('refuses a file whose sha256 (LFS) or git blob id differs from the Hub listing, installing nothing', async () => {
    hub.corrupt.add(ENCODER);
    const lfs = await runSentiscope(['models', 'get', ID], env());
    expect(lfs.code).toBe(1);
    const [line] = failureLines(lfs.stderr);
    expect(failureLines(lfs.stderr)).toHaveLength(1);
    expect(line).toContain(`Checksum mismatch for ${ENCODER}`);
    expect(line).toContain(`the Hub says ${sha256(body(ENCODER))}`);
    expect(existsSync(installed())).toBe(false);
    // The bad bytes are not kept for a resume.
    expect(existsSync(join(partialDir(), ENCODER))).toBe(false);

    // A fresh data folder: the first try already holds a good tokenizer.json, which a new try keeps.
    dataDir = join(tmp, `data-${++run}`);
    hub.corrupt.clear();
    hub.corrupt.add('tokenizer.json');
    const git = await runSentiscope(['models', 'get', ID], env());
    expect(git.code).toBe(1);
    expect(git.stderr).toMatch(/Checksum mismatch for tokenizer\.json .* its git blob id is [0-9a-f]{40}/);
    expect(existsSync(installed())).toBe(false);
  }, 120_000);

  it('a revision the Hub does not have (404), a file it does not list, no network: one line each, nothing installed', async () => {
    const gone = await runSentiscope(['models', 'get', 'gone-revision'], env());
    expect(gone.code).toBe(1);
    expect(failureLines(gone.stderr)).toHaveLength(1);
    expect(gone.stderr).toContain(`answered HTTP 404 Not Found for the file list of ${REPO} at revision ${'f'.repeat(40)}`);

    const lacks = await runSentiscope(['models', 'get', 'lacks-a-file'], env());
    expect(lacks.code).toBe(1);
    expect(lacks.stderr).toContain(`The Hub lists no onnx/missing.onnx in ${REPO} at revision ${REVISION}`);

    // Port 9 (discard) on loopback: nothing listens.
    const offline = await runSentiscope(['models', 'get', ID, '--hub', 'http://127.0.0.1:9'], env());
    expect(offline.code).toBe(1);
    expect(failureLines(offline.stderr)).toHaveLength(1);
    expect(offline.stderr).toContain('Could not reach http://127.0.0.1:9/api/models/');
    expect(offline.stderr).toContain('Check the address and the network.');

    const unknown = await runSentiscope(['models', 'get', 'whisper-huge'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`"whisper-huge" is not in the model catalog (it lists: ${ID}, gone-revision, lacks-a-file)`);

    expect(existsSync(join(dataDir, 'pretrained'))).toBe(false);
    expect(existsSync(join(dataDir, 'models')) ? readdirSync(join(dataDir, 'models')) : []).toEqual([]);
  }, 120_000);

  it('a full disk is one line naming the file; the model is not installed', async () => {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    mkdirSync(join(partialDir(), 'onnx'), { recursive: true });
    symlinkSync('/dev/full', join(partialDir(), ENCODER));
    const full = await runSentiscope(['models', 'get', ID], env());
    expect(full.code).toBe(1);
    const lines = failureLines(full.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Could not write ${ENCODER} to ${join(partialDir(), ENCODER)}: the disk is full.`);
    expect(existsSync(installed())).toBe(false);
    rmSync(join(partialDir(), ENCODER));
  }, 60_000);

  it('Ctrl-C stops the get, keeps the part fetched and installs nothing; the next get resumes it', async () => {
    hub.slow.add(DECODER);
    const child = spawn(process.execPath, [SENTISCOPE_BIN, 'models', 'get', ID], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((ok) => child.on('close', ok));
    await new Promise<void>((ok) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        // A few percent into the decoder.
        if (stderr.split('\n').filter((l) => l.endsWith(` ${DECODER}`)).length >= 4) ok();
      }),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain(`get ${ID} interrupted; nothing was installed, the part fetched is kept`);
    expect(existsSync(installed())).toBe(false);
    const part = statSync(join(partialDir(), DECODER)).size;
    expect(part).toBeGreaterThan(0);
    expect(part).toBeLessThan(body(DECODER).length);

    hub.slow.clear();
    hub.requests.length = 0;
    const resumed = await runSentiscope(['models', 'get', ID], env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(hub.requests).toEqual([{ path: DECODER, range: `bytes=${part}-`, status: 206 }]);
    expect(sha256(readFileSync(join(installed(), DECODER)))).toBe(sha256(body(DECODER)));
  }, 120_000);

  it('the service takes an AbortSignal: aborting mid-file rejects as cancelled and installs nothing', async () => {
    hub.slow.add(DECODER);
    const abort = new AbortController();
    const catalog = JSON.parse(readFileSync(join(tmp, 'catalog.json'), 'utf8'));
    let decoderStart: number | null = null;
    const got = getCatalogModel({ id: ID, hub: hub.url, catalog }, modelRoots(dataDir), {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.file !== DECODER) return;
        decoderStart ??= p.bytes;
        if (p.bytes > decoderStart) abort.abort();
      },
    });
    await expect(got).rejects.toThrow(/was cancelled; nothing was installed/);
    expect(existsSync(installed())).toBe(false);
    expect(existsSync(join(partialDir(), 'config.json'))).toBe(true);
  }, 60_000);

  it("the contract: 'models:catalog' marks what is installed, 'models:get' runs as a polled download that can be cancelled", async () => {
    const saved = process.env.SENTISCOPE_CATALOG;
    process.env.SENTISCOPE_CATALOG = join(tmp, 'catalog.json');
    const handlers = createContractHandlers({ shell: 'browser', version: '0.1.0', dataDir, hubEndpoint: hub.url });
    const finish = async (jobId: string) => {
      for (;;) {
        const [s] = await handlers['models:downloadStatus']({ jobId });
        if (s.state !== 'running') return s;
        await new Promise((ok) => setTimeout(ok, 50));
      }
    };
    try {
      expect((await handlers['models:catalog'](undefined)).map((m) => [m.id, m.installed])).toEqual([
        [ID, false],
        ['gone-revision', false],
        ['lacks-a-file', false],
      ]);
      await expect(handlers['models:get']({ id: 'whisper-huge' })).rejects.toThrow(/not in the model catalog/);

      hub.slow.add(DECODER);
      const slow = await handlers['models:get']({ id: ID });
      expect(slow).toMatchObject({ id: ID, source: 'catalog', indexUrl: hub.url, state: 'running' });
      while ((await handlers['models:downloadStatus']({ jobId: slow.jobId }))[0].progress.file !== DECODER) {
        await new Promise((ok) => setTimeout(ok, 50));
      }
      await handlers['models:downloadCancel']({ jobId: slow.jobId });
      expect((await finish(slow.jobId)).state).toBe('cancelled');
      expect(existsSync(installed())).toBe(false);

      hub.slow.clear();
      const got = await handlers['models:get']({ id: ID });
      const done = await finish(got.jobId);
      expect(done.state, done.error?.message).toBe('done');
      expect(done.installedAt).toBe(installed());
      expect((await handlers['models:catalog'](undefined)).find((m) => m.id === ID)?.installed).toBe(true);
    } finally {
      handlers.close();
      if (saved === undefined) delete process.env.SENTISCOPE_CATALOG;
      else process.env.SENTISCOPE_CATALOG = saved;
    }
  }, 60_000);
});
