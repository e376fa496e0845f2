// Pretrained model folders added like packs: a Whisper speech recognizer (config and
// tokenizer JSON plus two ONNX files, which inspection checks but never loads) and tiny
// encoder folders built in PyTorch by scripts/tiny-models/make_tiny_encoders.py. Each is
// checked before it is copied, lands in <dataDir>/pretrained/<id> with its origin, is listed
// (kind, family, size, license, source, location) by the inventory, `sentiscope models` and
// the models channels, is found by `transcribe --model ID` (resolveAsrOption), and removed.
// A folder missing a file is refused naming it, with nothing left behind.

import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ORIGIN_FILE,
  addModelFolder,
  downloadModelFolder,
  listInstalledModels,
  listRootedPacks,
  removeModel,
  type InstalledModel,
  type ModelRoots,
} from '../../src/core/models';
import { createContractHandlers } from '../../src/core/services/contract-handlers';
import { resolveAsrOption } from '../../src/cli/asr-option';
import { SentiscopeError } from '../../src/shared/errors';

const PYTHON = '/usr/bin/python3';
const BIN = resolve('bin/sentiscope.js');
const FIXTURE_PACK = resolve('tests/fixtures/packs/tiny-late-fusion');
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) {
  console.warn(
    `models-pretrained: encoder cases SKIPPED — ${PYTHON} cannot import torch/onnx/numpy; install python3-torch python3-onnx python3-numpy (Debian) to run them`,
  );
}

let tmp: string;
/** Folders built by make_tiny_encoders.py (empty when torch is missing). */
let encoders: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sentiscope-models-pretrained-'));
  encoders = join(tmp, 'encoders');
  if (hasTorch) {
    const run = spawnSync(PYTHON, ['scripts/tiny-models/make_tiny_encoders.py', '--out', encoders], { encoding: 'utf8' });
    if (!existsSync(join(encoders, 'references.json'))) {
      throw new Error(`make_tiny_encoders.py failed (exit ${run.status}):\n${`${run.stdout}\n${run.stderr}`.slice(-4000)}`);
    }
  }
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function rootsFor(name: string): ModelRoots {
  const dataDir = join(tmp, name);
  mkdirSync(join(dataDir, 'shipped'), { recursive: true });
  return { shipped: join(dataDir, 'shipped'), added: join(dataDir, 'models'), pretrained: join(dataDir, 'pretrained') };
}

/**
 * A Whisper folder in the Hub layout: the five JSON files transformers.js reads and the two
 * ONNX files under onnx/ (placeholder bytes: adding and listing never load them).
 */
function whisperFolder(name: string, options: { readme?: string; omit?: string } = {}): string {
  const dir = join(tmp, 'sources', name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const files: Record<string, unknown> = {
    'config.json': { model_type: 'whisper', _name_or_path: `test/${name}`, d_model: 8 },
    'generation_config.json': { is_multilingual: true, lang_to_id: { '<|en|>': 50259, '<|zh|>': 50260 }, alignment_heads: [[0, 1]] },
    'preprocessor_config.json': { chunk_length: 30, feature_size: 80, sampling_rate: 16000 },
    'tokenizer.json': { version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] } },
    'tokenizer_config.json': { model_max_length: 448 },
  };
  for (const [file, value] of Object.entries(files)) {
    if (file !== options.omit) writeFileSync(join(dir, file), JSON.stringify(value));
  }
  for (const file of ['encoder_model.onnx', 'decoder_model_merged.onnx']) {
    if (file !== options.omit) writeFileSync(join(dir, 'onnx', file), Buffer.alloc(file.startsWith('encoder') ? 3000 : 5000, 7));
  }
  // Left behind by a git clone of a Hub repo, and weights for another framework: not copied.
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'model.safetensors'), Buffer.alloc(9000, 1));
  if (options.readme !== undefined) writeFileSync(join(dir, 'README.md'), options.readme);
  return dir;
}

function bytesUnder(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const stat = statSync(join(dir, name));
    return sum + (stat.isDirectory() ? bytesUnder(join(dir, name)) : stat.size);
  }, 0);
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

const listed = async (roots: ModelRoots, id: string): Promise<InstalledModel | undefined> =>
  (await listInstalledModels(roots)).find((m) => m.id === id && m.kind !== 'fusion-pack');

describe('adding a Whisper folder', () => {
  it('copies it into the pretrained folder, lists it with its origin and license, resolves its id and removes it', async () => {
    const roots = rootsFor('whisper');
    const source = whisperFolder('whisper-tiny.en test', { readme: '---\nlanguage:\n- en\nlicense: apache-2.0\n---\n# Whisper\n' });
    const added = await addModelFolder(source, roots);
    // The id is the folder name made safe.
    expect(added).toEqual({
      kind: 'speech-recognizer',
      id: 'whisper-tiny.en-test',
      version: null,
      dir: join(roots.pretrained!, 'whisper-tiny.en-test'),
    });
    expect(existsSync(join(added.dir, 'onnx', 'decoder_model_merged.onnx'))).toBe(true);
    expect(existsSync(join(added.dir, '.git'))).toBe(false);
    expect(existsSync(join(added.dir, 'model.safetensors'))).toBe(false);
    const origin = JSON.parse(readFileSync(join(added.dir, ORIGIN_FILE), 'utf8'));
    expect(origin).toMatchObject({ from: 'folder', location: source });
    // No staging folder left, and pack listings never see it.
    expect(readdirSync(roots.pretrained!)).toEqual(['whisper-tiny.en-test']);
    expect(await listRootedPacks(roots)).toEqual([]);

    const model = await listed(roots, 'whisper-tiny.en-test');
    expect(model).toMatchObject({
      kind: 'speech-recognizer',
      description: 'test/whisper-tiny.en test: whisper (languages en, zh; word timestamps)',
      license: 'apache-2.0',
      location: added.dir,
      root: 'added',
      problem: null,
      pack: null,
      pretrained: {
        family: 'whisper',
        modality: 'speech',
        task: 'automatic-speech-recognition',
        languages: ['en', 'zh'],
        wordTimestamps: true,
      },
    });
    expect(model!.source).toBe(`added from ${source} on ${origin.addedAt}`);
    expect(model!.bytes).toBe(bytesUnder(added.dir));

    // `transcribe --model`: a folder as it is, an added id as its folder.
    expect(await resolveAsrOption(source, roots)).toBe(source);
    expect(await resolveAsrOption('whisper-tiny.en-test', roots)).toBe(added.dir);
    const unknown = await rejection(resolveAsrOption('whisper-large', roots));
    expect(unknown.code).toBe('not-found');
    expect(unknown.message).toContain(roots.pretrained!);
    expect(unknown.message).toContain('installed speech recognizers: whisper-tiny.en-test');
    const missingPath = await rejection(resolveAsrOption(join(tmp, 'no-such-whisper'), roots));
    expect(missingPath.code).toBe('file-missing');
    expect(missingPath.message).toContain(join(tmp, 'no-such-whisper'));

    // The same folder again is refused (its id is taken); under another id it is added.
    const again = await rejection(addModelFolder(source, roots));
    expect(again.message).toContain(`"whisper-tiny.en-test" is already installed (${added.dir})`);
    const second = await addModelFolder(join(source, 'config.json'), roots, { id: 'whisper-second' });
    expect(second.dir).toBe(join(roots.pretrained!, 'whisper-second'));
    expect((await rejection(addModelFolder(source, roots, { id: '../escape' }))).message).toContain('cannot name a model folder');

    expect(await removeModel('whisper-tiny.en-test', roots)).toBe(added.dir);
    expect(existsSync(added.dir)).toBe(false);
    expect(await listed(roots, 'whisper-tiny.en-test')).toBeUndefined();
    const gone = await rejection(removeModel('whisper-tiny.en-test', roots));
    expect(gone.code).toBe('not-found');
    expect(gone.message).toContain('added: whisper-second');
    expect(readdirSync(roots.pretrained!)).toEqual(['whisper-second']);
  });

  it('refuses a folder missing a file, naming it, and leaves nothing behind', async () => {
    const roots = rootsFor('whisper-refused');
    for (const omit of ['tokenizer.json', 'decoder_model_merged.onnx']) {
      const err = await rejection(addModelFolder(whisperFolder(`whisper-no-${omit}`, { omit }), roots));
      expect(err.code).toBe('file-missing');
      expect(err.message).toContain(omit);
    }
    const notAModel = join(tmp, 'sources', 'just-files');
    mkdirSync(notAModel, { recursive: true });
    writeFileSync(join(notAModel, 'notes.txt'), 'hello');
    expect((await rejection(addModelFolder(notAModel, roots))).message).toContain('neither a manifest.json');
    expect(existsSync(roots.pretrained!) ? readdirSync(roots.pretrained!) : []).toEqual([]);
    expect(existsSync(roots.added!) ? readdirSync(roots.added!) : []).toEqual([]);
    // A pack's id is its manifest's: --id is refused for packs.
    expect((await rejection(addModelFolder(FIXTURE_PACK, roots, { id: 'other' }))).message).toContain('--id does not apply');
  });

  it('is added and removed through the models channels (the Models page)', async () => {
    const roots = rootsFor('channels');
    const handlers = createContractHandlers({ shell: 'browser', version: '0.0.0', dataDir: join(tmp, 'channels-data'), modelRoots: roots });
    try {
      const source = whisperFolder('whisper-page');
      const added = await handlers['models:add']({ path: source });
      expect(added).toMatchObject({
        id: 'whisper-page',
        kind: 'speech-recognizer',
        root: 'added',
        license: "unknown (see the model's card)",
      });
      const overview = await handlers['models:list']();
      expect(overview.roots.pretrained).toBe(roots.pretrained);
      expect(overview.models.filter((m) => m.kind === 'speech-recognizer').map((m) => m.id)).toEqual(['whisper-page']);
      await handlers['models:remove']({ id: 'whisper-page' });
      expect((await handlers['models:list']()).models.some((m) => m.id === 'whisper-page')).toBe(false);
    } finally {
      handlers.close();
    }
  });
});

describe('downloading a Whisper folder by id (a model index on 127.0.0.1)', () => {
  it('installs it into the pretrained folder with progress, and installs nothing on a bad checksum or a broken folder', async () => {
    const roots = rootsFor('download');
    const source = whisperFolder('whisper-download');
    const routes = new Map<string, Buffer>();
    const server = createServer((req, res) => {
      const body = routes.get(req.url ?? '');
      if (!body) res.writeHead(404).end('no such file');
      else res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const publish = (name: string, paths: string[], badSha?: string): string => {
      const files = paths.map((path) => {
        const body = readFileSync(join(source, path));
        routes.set(`/${name}/${path}`, body);
        const sha256 = path === badSha ? '0'.repeat(64) : createHash('sha256').update(body).digest('hex');
        return { path, url: `${name}/${path}`, bytes: body.length, sha256 };
      });
      routes.set(
        `/${name}.json`,
        Buffer.from(JSON.stringify({ format: 'sentiscope-model-index', formatVersion: 1, models: [{ id: name, files }] })),
      );
      return `${base}/${name}.json`;
    };
    const all = [
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged.onnx',
    ];
    try {
      const indexUrl = publish('whisper-fetched', all);
      const percents: number[] = [];
      const added = await downloadModelFolder({ indexUrl, id: 'whisper-fetched' }, roots, { onProgress: (p) => percents.push(p.percent) });
      expect(added).toEqual({
        kind: 'speech-recognizer',
        id: 'whisper-fetched',
        version: null,
        dir: join(roots.pretrained!, 'whisper-fetched'),
      });
      expect(percents.at(-1)).toBe(100);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      const model = await listed(roots, 'whisper-fetched');
      expect(model?.source).toMatch(new RegExp(`^downloaded from ${indexUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on `));
      expect(await resolveAsrOption('whisper-fetched', roots)).toBe(added.dir);

      const tampered = await rejection(
        downloadModelFolder({ indexUrl: publish('whisper-tampered', all, 'onnx/encoder_model.onnx'), id: 'whisper-tampered' }, roots),
      );
      expect(tampered.message).toContain('Checksum mismatch for onnx/encoder_model.onnx');
      const broken = await rejection(
        downloadModelFolder(
          {
            indexUrl: publish(
              'whisper-broken',
              all.filter((p) => p !== 'tokenizer.json'),
            ),
            id: 'whisper-broken',
          },
          roots,
        ),
      );
      expect(broken.message).toContain('tokenizer.json');
      expect(readdirSync(roots.pretrained!)).toEqual(['whisper-fetched']);
      expect(readdirSync(roots.added!)).toEqual([]);
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});

describe.skipIf(!hasTorch)('adding encoder folders (tiny models built in PyTorch)', () => {
  it('adds text, audio and image encoders, lists family, modality, dims and license, and removes them', async () => {
    const roots = rootsFor('encoders');
    const config = (name: string) => JSON.parse(readFileSync(join(encoders, name, 'config.json'), 'utf8'));
    // config.json's license is used when there is no model card.
    const classifier = join(tmp, 'sources', 'bert-classifier');
    cpSync(join(encoders, 'bert-classifier'), classifier, { recursive: true });
    writeFileSync(join(classifier, 'config.json'), JSON.stringify({ ...config('bert-classifier'), license: 'mit' }));

    for (const dir of [join(encoders, 'bert-feature'), classifier, join(encoders, 'wav2vec2')]) {
      expect((await addModelFolder(dir, roots)).kind).toBe('encoder');
    }
    expect((await addModelFolder(join(encoders, 'clip'), roots, { id: 'clip-vision' })).id).toBe('clip-vision');

    const models = (await listInstalledModels(roots)).filter((m) => m.kind === 'encoder');
    const byId = Object.fromEntries(models.map((m) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual(['bert-classifier', 'bert-feature', 'clip-vision', 'wav2vec2']);
    expect(byId['bert-feature'].description).toBe(`bert text feature-extraction, ${config('bert-feature').hidden_size} dims`);
    expect(byId['bert-feature'].license).toBe("unknown (see the model's card)");
    const labels = Object.keys(config('bert-classifier').id2label).length;
    expect(byId['bert-classifier'].description).toBe(`bert text text-classification, ${labels} labels`);
    expect(byId['bert-classifier'].license).toBe('mit');
    expect(byId['wav2vec2'].pretrained).toMatchObject({ family: 'wav2vec2', modality: 'audio', dims: config('wav2vec2').hidden_size });
    const clipDims = config('clip').projection_dim ?? config('clip').vision_config?.projection_dim;
    expect(byId['clip-vision'].pretrained).toMatchObject({ family: 'clip', modality: 'image', task: 'feature-extraction', dims: clipDims });
    for (const m of models) {
      expect(m.bytes).toBe(bytesUnder(m.location));
      expect(m.source).toMatch(/^added from .+ on \d{4}-\d\d-\d\dT/);
    }
    // An encoder is not a speech recognizer.
    const wrongKind = await rejection(resolveAsrOption('bert-feature', roots));
    expect(wrongKind.message).toContain('is an encoder');
    expect(wrongKind.message).toContain('installed speech recognizers: none');

    for (const id of Object.keys(byId)) await removeModel(id, roots);
    expect(readdirSync(roots.pretrained!)).toEqual([]);
  });

  it('refuses an encoder folder missing its tokenizer, naming it, with nothing left behind', async () => {
    const roots = rootsFor('encoders-refused');
    const broken = join(tmp, 'sources', 'bert-no-tokenizer');
    cpSync(join(encoders, 'bert-feature'), broken, { recursive: true });
    rmSync(join(broken, 'tokenizer.json'));
    const err = await rejection(addModelFolder(broken, roots));
    expect(err.code).toBe('file-missing');
    expect(err.message).toContain('tokenizer.json');
    expect(err.file).toBe(join(broken, 'tokenizer.json'));
    expect(existsSync(roots.pretrained!) ? readdirSync(roots.pretrained!) : []).toEqual([]);
  });
});

describe('sentiscope models with pretrained folders', () => {
  const run = promisify(execFile);
  const cli = (args: string[], env: NodeJS.ProcessEnv) =>
    run(process.execPath, [BIN, 'models', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

  it('adds, lists (JSON and --table), refuses a broken folder and removes', async () => {
    const shipped = join(tmp, 'cli', 'shipped');
    mkdirSync(shipped, { recursive: true });
    const dataDir = join(tmp, 'cli', 'data');
    const env = { SENTISCOPE_MODELS: shipped, SENTISCOPE_DATA_DIR: dataDir };
    const source = whisperFolder('whisper-cli', { readme: '---\nlicense: mit\n---\n' });

    const add = await cli(['add', source, '--id', 'asr-small'], env);
    const dir = join(dataDir, 'pretrained', 'asr-small');
    expect(add.stderr).toContain(`added speech-recognizer asr-small at ${dir}`);
    expect(JSON.parse(add.stdout)).toEqual({ kind: 'speech-recognizer', id: 'asr-small', version: null, dir });

    const text = (await cli(['--table'], env)).stdout;
    expect(text).toContain('speech-recognizer  asr-small  [added]');
    expect(text).toContain('test/whisper-cli: whisper (languages en, zh; word timestamps)');
    expect(text).toContain('license: mit');
    expect(text).toContain(`from: added from ${source} on `);
    expect(text).toContain(`at: ${dir}`);
    const json = JSON.parse((await cli([], env)).stdout) as InstalledModel[];
    expect(json.find((m) => m.id === 'asr-small')).toMatchObject({ kind: 'speech-recognizer', location: dir, license: 'mit' });

    const broken = whisperFolder('whisper-cli-broken', { omit: 'preprocessor_config.json' });
    const refused = await cli(['add', broken], env).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('preprocessor_config.json');
    expect(readdirSync(join(dataDir, 'pretrained'))).toEqual(['asr-small']);

    const removed = await cli(['remove', 'asr-small'], env);
    expect(removed.stderr).toContain(`removed asr-small (${dir})`);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);
});
