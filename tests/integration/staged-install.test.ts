// The one staged install every model folder goes through ([Note: staged install]), in a
// real temp folder: filled beside its destination, verified, renamed into place; a failure
// while filling, while verifying or at the rename leaves the destination as it was and no
// staging folder behind. Also through addModelFromFolder and addPretrainedFolder, whose
// copy is cut in the middle by a named pipe in the source (a file fs.cp refuses to copy).

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelOrigin } from '../../src/shared/model-catalog';
import { DEFAULT_VISUAL_RECIPE } from '../../src/core/analysis/face';
import { addModelFromFolder, addPretrainedFolder, type ModelRoots } from '../../src/core/models';
import {
  ORIGIN_FILE,
  type StagedInstall,
  fillStagingFolder,
  installNew,
  installStaged,
  readOrigin,
  removeInstalled,
  resumableStagingFolder,
} from '../../src/core/models/staged-install';

const ORIGIN: ModelOrigin = { from: 'folder', location: '/somewhere/else', addedAt: '2026-01-01T00:00:00.000Z' };

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sentiscope-staged-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Everything under `dir`, relative, sorted: what a failed install must leave as it was. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function install(target: string, verify?: (staging: string) => void): StagedInstall<string> {
  return {
    origin: ORIGIN,
    verify: (staging) => {
      verify?.(staging);
      return { target, installed: (dir) => readFileSync(join(dir, 'weights.bin'), 'utf8') };
    },
    clash: (t) => new Error(`taken: ${t}`),
  };
}

describe('installNew', () => {
  it('renames the filled, verified folder into place with its origin and leaves no staging folder', async () => {
    const target = join(root, 'model-a');
    const got = await installNew(
      root,
      'incoming',
      async (staging) => {
        await writeFile(join(staging, 'weights.bin'), 'abc');
        mkdirSync(join(staging, 'onnx'));
        await writeFile(join(staging, 'onnx', 'model.onnx'), 'graph');
      },
      install(target, (staging) => expect(existsSync(join(staging, 'onnx', 'model.onnx'))).toBe(true)),
    );
    expect(got).toBe('abc');
    expect(tree(root)).toEqual([
      'model-a',
      'model-a/.sentiscope-origin.json',
      'model-a/onnx',
      'model-a/onnx/model.onnx',
      'model-a/weights.bin',
    ]);
    expect(await readOrigin(target)).toEqual(ORIGIN);
  });

  it('a fill that fails half-way removes its staging folder; the installed folder beside it is untouched', async () => {
    const existing = join(root, 'model-a');
    mkdirSync(existing);
    writeFileSync(join(existing, 'weights.bin'), 'old');
    const before = tree(root);
    await expect(
      installNew(
        root,
        'download',
        async (staging) => {
          await writeFile(join(staging, 'weights.bin'), 'new, half');
          throw new Error('connection reset after 1 of 2 files');
        },
        install(join(root, 'model-b')),
      ),
    ).rejects.toThrow('connection reset after 1 of 2 files');
    expect(tree(root)).toEqual(before);
    expect(readFileSync(join(existing, 'weights.bin'), 'utf8')).toBe('old');
  });

  it('a folder that fails verification is removed and nothing appears at the target', async () => {
    const target = join(root, 'model-a');
    await expect(
      installNew(
        root,
        'incoming',
        (staging) => writeFile(join(staging, 'weights.bin'), 'x'),
        install(target, () => {
          throw new Error('config.json is missing');
        }),
      ),
    ).rejects.toThrow('config.json is missing');
    expect(existsSync(target)).toBe(false);
    expect(tree(root)).toEqual([]);
  });

  it('a target that appeared meanwhile is refused with the clash error and kept as it was, even an empty one', async () => {
    for (const content of [['weights.bin'], []]) {
      const target = join(root, `model-${content.length}`);
      mkdirSync(target);
      for (const f of content) writeFileSync(join(target, f), 'theirs');
      const before = tree(root);
      await expect(installNew(root, 'incoming', (s) => writeFile(join(s, 'weights.bin'), 'ours'), install(target))).rejects.toThrow(
        `taken: ${target}`,
      );
      expect(tree(root)).toEqual(before);
    }
    expect(readFileSync(join(root, 'model-1', 'weights.bin'), 'utf8')).toBe('theirs');
  });
});

describe('installStaged and the resumable folder', () => {
  it('keeps what a failed fetch left in the resumable folder; installStaged removes it whatever happens', async () => {
    const partial = await resumableStagingFolder(root, 'whisper-tiny-abc123');
    expect(partial).toBe(join(root, '.partial-whisper-tiny-abc123'));
    await writeFile(join(partial, 'weights.bin'), 'half');
    // A second try finds the part the first left.
    expect(await resumableStagingFolder(root, 'whisper-tiny-abc123')).toBe(partial);
    expect(readFileSync(join(partial, 'weights.bin'), 'utf8')).toBe('half');
    await expect(
      installStaged(
        partial,
        install(join(root, 'whisper-tiny'), () => {
          throw new Error('not a usable folder');
        }),
      ),
    ).rejects.toThrow('not a usable folder');
    expect(tree(root)).toEqual([]);
  });

  it('fillStagingFolder hands back a dot folder that listings skip', async () => {
    const staging = await fillStagingFolder(join(root, 'models'), 'incoming', (s) => writeFile(join(s, 'weights.bin'), 'x'));
    expect(staging.startsWith(join(root, 'models', '.incoming-'))).toBe(true);
    expect(await installStaged(staging, install(join(root, 'models', 'm')))).toBe('x');
    expect(readdirSync(join(root, 'models'))).toEqual(['m']);
  });

  it('removeInstalled takes the folder out, leaving its siblings', async () => {
    for (const id of ['a', 'b']) {
      mkdirSync(join(root, id));
      writeFileSync(join(root, id, ORIGIN_FILE), '{}');
    }
    await removeInstalled(join(root, 'a'));
    expect(tree(root)).toEqual(['b', `b/${ORIGIN_FILE}`]);
  });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the install to be refused');
}

/** A named pipe at `path`: loaders and inspection never open it, and fs.cp refuses to copy one. */
function pipeAt(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('a copy cut off in the middle', () => {
  let roots: ModelRoots;
  beforeEach(() => {
    roots = { shipped: resolve('resources/models'), added: join(root, 'data', 'models'), pretrained: join(root, 'data', 'pretrained') };
  });

  it('addModelFromFolder: a pack with a file that cannot be copied leaves nothing in the models folder', async () => {
    const source = join(root, 'src-pack');
    cpSync(resolve('tests/fixtures/packs/tiny-late-fusion'), source, { recursive: true });
    // The fixture as this build reads it (as models-user.test.ts prepares it).
    const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'));
    manifest.inputs.visual.recipe = DEFAULT_VISUAL_RECIPE;
    writeFileSync(join(source, 'manifest.json'), JSON.stringify(manifest, null, 2));
    // Loadable (the loader reads manifest, vocabulary and graph), but the copy fails at this entry.
    pipeAt(join(source, 'zz-pipe'));
    mkdirSync(roots.added!, { recursive: true });
    writeFileSync(join(roots.added!, 'keep.txt'), 'the user’s');
    const err = await rejection(addModelFromFolder(source, roots));
    expect(err.message).toMatch(/Copying the pack .* failed: .*Nothing was added/);
    expect(readdirSync(roots.added!)).toEqual(['keep.txt']);
  });

  it('addPretrainedFolder: a Whisper folder with a file that cannot be copied leaves nothing in the pretrained folder', async () => {
    const source = join(root, 'src-whisper');
    // The Hub layout inspection checks (as models-pretrained.test.ts writes it; placeholder weights).
    mkdirSync(join(source, 'onnx'), { recursive: true });
    const json: Record<string, unknown> = {
      'config.json': { model_type: 'whisper', _name_or_path: 'test/whisper', d_model: 8 },
      'generation_config.json': { is_multilingual: false, alignment_heads: [[0, 1]] },
      'preprocessor_config.json': { chunk_length: 30, feature_size: 80, sampling_rate: 16000 },
      'tokenizer.json': { version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] } },
      'tokenizer_config.json': { model_max_length: 448 },
    };
    for (const [file, value] of Object.entries(json)) writeFileSync(join(source, file), JSON.stringify(value));
    writeFileSync(join(source, 'onnx', 'encoder_model.onnx'), Buffer.alloc(3000, 7));
    writeFileSync(join(source, 'onnx', 'decoder_model_merged.onnx'), Buffer.alloc(5000, 7));
    pipeAt(join(source, 'onnx', 'zz-pipe'));
    const err = await rejection(addPretrainedFolder(source, roots));
    expect(err.message).toMatch(/Copying .* failed: .*Nothing was added/);
    expect(tree(roots.pretrained!)).toEqual([]);
  });
});
