// The model-pack runtime on real files: the fixture pack (built by
// scripts/make-fixture-pack.py), features from the real extractors on the MOSI clip,
// real onnxruntime sessions, and exact Shapley contributions.

import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SegmentFeatureExtractor, type SegmentFeatures } from '../../src/core/analysis/features/segment-features';
import {
  FusionRunner,
  GPU_OUTPUT_TOLERANCE,
  autoProviderOrder,
  describeProvider,
  listModelPacks,
  loadModelPack,
  openSession,
  predictWithContributions,
  providerUnavailable,
  resolveModelPack,
  type ModelPack,
  type ModelPackManifest,
} from '../../src/core/models';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { refusal } from '../helpers/refusal';

const FIXTURE = resolve('tests/fixtures/packs/tiny-late-fusion');
// Oz06ZWiO20M segment 6, the clip in ../shared/data/mosi/media (label -0.8).
const MOSI_TEXT = 'and sucker punch is a failer but like a really ambitious weird the interesting idiosyncratic failure';

let dir: string;
let pack: ModelPack;
let runner: FusionRunner;
let extractor: SegmentFeatureExtractor;
let features: SegmentFeatures;

/** A copy of the fixture pack in `name`, its manifest edited by `edit`. */
async function packCopy(name: string, edit?: (m: ModelPackManifest & Record<string, unknown>) => void): Promise<string> {
  const target = join(dir, name);
  await cp(FIXTURE, target, { recursive: true });
  if (edit) {
    const file = join(target, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    edit(manifest);
    await writeFile(file, JSON.stringify(manifest));
  }
  return target;
}

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-models-');
  pack = await loadModelPack(FIXTURE);
  runner = await FusionRunner.create(pack, { device: 'cpu' });
  extractor = await SegmentFeatureExtractor.create();
  features = await extractor.extract({ text: MOSI_TEXT, audio: { path: MOSI_CLIP }, visual: { path: MOSI_CLIP } });
});
afterAll(async () => {
  extractor?.close();
  await removeTempDir(dir);
});

describe('model packs', () => {
  it('loads the fixture pack with its vocabulary and files', () => {
    expect(pack.manifest.id).toBe('tiny-late-fusion');
    expect(pack.fusionFile).toBe(join(FIXTURE, 'fusion.onnx'));
    expect(pack.vocabulary!.get('good')).toBe(2); // id = 2 + line index
    expect(pack.vocabulary!.size).toBeGreaterThan(10);
  });

  it('refuses a pack missing its fusion model, naming the file', async () => {
    const copy = await packCopy('no-fusion');
    await rm(join(copy, 'fusion.onnx'));
    const err = await refusal(loadModelPack(copy));
    expect(err.code).toBe('file-missing');
    expect(err.message).toContain('fusion.onnx');
    expect(err.file).toBe(join(copy, 'fusion.onnx'));
  });

  it('refuses a pack missing its vocabulary', async () => {
    const copy = await packCopy('no-vocab');
    await rm(join(copy, 'vocab.txt'));
    expect((await refusal(loadModelPack(copy))).message).toContain('vocab.txt');
  });

  it('refuses a pack whose acoustic recipe differs, naming the field', async () => {
    const copy = await packCopy('hop-20', (m) => {
      m.inputs.audio!.recipe.hopMs = 20;
    });
    const err = await refusal(loadModelPack(copy));
    expect(err.message).toMatch(/hopMs: pack expects 20, this build computes 10/);
    expect(err.file).toBe(join(copy, 'manifest.json'));
  });

  it('refuses differing text and visual recipes, naming the fields', async () => {
    const copy = await packCopy('recipes', (m) => {
      // Tokenizers 1, 2 and 3 are all computed; 4 is not.
      m.inputs.text!.recipe.tokenizer.version = 4;
      m.inputs.visual!.recipe.detector.minScore = 0.5;
    });
    const message = (await refusal(loadModelPack(copy))).message;
    expect(message).toContain('tokenizer.version: pack expects 4');
    expect(message).toContain('detector.minScore: pack expects 0.5');
  });

  it('refuses an unknown feature kind, frame sequences without their columns, and other columns', async () => {
    const unknown = await packCopy('unknown-kind', (m) => {
      (m.fusion.inputs[2] as { feature: string }).feature = 'audio.wav2vec2';
    });
    expect((await refusal(loadModelPack(unknown))).message).toContain('"audio.wav2vec2", which this build does not know');
    const frames = await packCopy('frames', (m) => {
      m.fusion.inputs[2] = { name: 'audio_frames', dtype: 'float32', shape: [1, 'frames', 57], feature: 'audio.frames' };
    });
    // Frame sequences are fed (tests/integration/sequence-packs.test.ts), but only with the extractor's columns named.
    expect((await refusal(loadModelPack(frames))).message).toContain('fusion input "audio_frames" (audio.frames) must list its "columns"');
    const columns = await packCopy('columns', (m) => {
      m.fusion.inputs[3].columns = [...m.fusion.inputs[3].columns!].reverse();
    });
    expect((await refusal(loadModelPack(columns))).message).toMatch(
      /visual_statistics.*columns differ.*column 0 is "face_score_mean" in the pack, "face_ratio" here/,
    );
  });

  it('refuses a manifest whose tensor names the ONNX file does not have', async () => {
    const copy = await packCopy('renamed', (m) => {
      m.fusion.inputs[1].name = 'lexicon_features';
    });
    const renamed = await loadModelPack(copy); // the manifest alone is consistent
    const err = await refusal(FusionRunner.create(renamed, { device: 'cpu' }));
    expect(err.message).toContain('lexicon_features');
    expect(err.file).toBe(join(copy, 'fusion.onnx'));
  });

  it('lists pack folders, skips the face models folder, and picks the default', async () => {
    const root = join(dir, 'models');
    await mkdir(root);
    await cp(resolve('resources/models/face'), join(root, 'face'), { recursive: true });
    await cp(FIXTURE, join(root, 'a-pack'), { recursive: true });
    await packCopy('models/b-pack', (m) => {
      m.id = 'b-pack';
      m.default = true;
    });
    await packCopy('models/c-broken', (m) => {
      m.id = 'c-broken';
      m.inputs.audio!.recipe.melBins = 80;
    });
    const listings = await listModelPacks(root);
    expect(listings.map((l) => l.id)).toEqual(['b-pack', 'c-broken', 'tiny-late-fusion']);
    expect(listings.find((l) => l.id === 'c-broken')!.error!.message).toContain('melBins');
    expect((await resolveModelPack(undefined, root)).manifest.id).toBe('b-pack');
    expect((await resolveModelPack('tiny-late-fusion', root)).dir).toBe(join(root, 'a-pack'));
    expect((await refusal(resolveModelPack('nope', root))).message).toContain('installed: b-pack, c-broken, tiny-late-fusion');
    await refusal(resolveModelPack('c-broken', root));
  });
});

describe('fusion and contributions on the MOSI clip', () => {
  it('extracts all three modalities from the clip and its transcript', () => {
    expect(features.absent).toEqual({});
    expect(features.text!.tokens.length).toBeGreaterThan(10);
  });

  it('predicts a finite score in range and probabilities that sum to 1', async () => {
    const out = await runner.run(features);
    expect(Number.isFinite(out.score)).toBe(true);
    expect(Math.abs(out.score)).toBeLessThanOrEqual(3);
    expect(out.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (const p of out.probabilities) expect(p).toBeGreaterThan(0);
    expect(out.gates!.modality).toHaveLength(3);
  });

  it('contributions are exact Shapley values: base + sum = score', async () => {
    const prediction = await predictWithContributions(runner, features);
    expect(prediction.present).toEqual(['text', 'audio', 'visual']);
    const { text, audio, visual } = prediction.contributions;
    for (const c of [text, audio, visual]) expect(Number.isFinite(c)).toBe(true);
    expect(Math.abs(prediction.base + text! + audio! + visual! - prediction.score)).toBeLessThan(1e-5);
    // The base is the run with nothing present.
    const none = await runner.run(features, { text: false, audio: false, visual: false });
    expect(prediction.base).toBeCloseTo(none.score, 6);
    // Each modality moves the score here (the fixture's weights are not degenerate).
    for (const c of [text, audio, visual]) expect(Math.abs(c!)).toBeGreaterThan(1e-4);
    // Two modalities: phi_T = ((v(T) - v(0)) + (v(TA) - v(A))) / 2, from the four runs directly.
    const twoModalities: SegmentFeatures = { ...features, visual: null, absent: { visual: 'no face' } };
    const two = await predictWithContributions(runner, twoModalities);
    const v = async (mask: { text: boolean; audio: boolean }) => (await runner.run(twoModalities, { ...mask, visual: false })).score;
    const [v0, vT, vA, vTA] = [
      await v({ text: false, audio: false }),
      await v({ text: true, audio: false }),
      await v({ text: false, audio: true }),
      await v({ text: true, audio: true }),
    ];
    expect(two.contributions.text).toBeCloseTo((vT - v0 + (vTA - vA)) / 2, 6);
    expect(two.contributions.audio).toBeCloseTo((vA - v0 + (vTA - vT)) / 2, 6);
  });

  it('an absent modality gets a null contribution and the same result as running without it', async () => {
    const withoutAudio: SegmentFeatures = { ...features, audio: null, absent: { audio: 'silent' } };
    const prediction = await predictWithContributions(runner, withoutAudio);
    expect(prediction.contributions.audio).toBeNull();
    expect(prediction.present).toEqual(['text', 'visual']);
    const masked = await runner.run(features, { audio: false });
    expect(prediction.score).toBe(masked.score);
    expect(prediction.probabilities).toEqual(masked.probabilities);
    const full = await runner.run(features);
    expect(prediction.score).not.toBe(full.score);
    expect(Math.abs(prediction.base + prediction.contributions.text! + prediction.contributions.visual! - prediction.score)).toBeLessThan(
      1e-5,
    );
  });

  it('with no modality at all the score is the base and every contribution null', async () => {
    const empty: SegmentFeatures = {
      text: null,
      audio: null,
      visual: null,
      absent: { text: 'no text', audio: 'not given', visual: 'not given' },
    };
    const prediction = await predictWithContributions(runner, empty);
    expect(prediction.contributions).toEqual({ text: null, audio: null, visual: null });
    expect(prediction.score).toBe(prediction.base);
  });
});

describe('execution providers', () => {
  it('auto tries the providers in order and records why each one before the chosen one failed', async () => {
    const chosen = await openSession(pack.fusionFile, { device: 'auto' });
    const order = autoProviderOrder();
    expect(chosen.fallbacks.map((f) => f.provider)).toEqual(order.slice(0, order.indexOf(chosen.provider)));
    for (const f of chosen.fallbacks) expect(f.reason.length).toBeGreaterThan(3);
    const cudaMissing = providerUnavailable('cuda');
    if (cudaMissing) expect(chosen.fallbacks[0]).toEqual({ provider: 'cuda', reason: cudaMissing });
    // On these build machines (no GPU adapter) auto ends on cpu; the line says why.
    if (chosen.provider === 'cpu')
      expect(describeProvider(chosen.provider, chosen.fallbacks)).toMatch(/^cpu \(cuda unavailable: .*; webgpu unavailable: .+\)$/);
    // The same results on the chosen provider as on cpu, within the stated tolerance.
    const autoRunner = await FusionRunner.create(pack, { device: 'auto' });
    const [a, c] = [await autoRunner.run(features), await runner.run(features)];
    expect(Math.abs(a.score - c.score)).toBeLessThanOrEqual(GPU_OUTPUT_TOLERANCE);
  });

  it('cpu by name works, and sessions are cached per file, provider and threads', async () => {
    const one = await openSession(pack.fusionFile, { device: 'cpu' });
    expect(one.provider).toBe('cpu');
    expect(one.fallbacks).toEqual([]);
    expect((await openSession(pack.fusionFile, { device: 'cpu' })).session).toBe(one.session);
    const two = await openSession(pack.fusionFile, { device: 'cpu', threads: 2 });
    expect(two.session).not.toBe(one.session);
    expect((await FusionRunner.create(pack, { device: 'cpu', threads: 2 }).then((r) => r.run(features))).score).toBeCloseTo(
      (await runner.run(features)).score,
      6,
    );
  });

  it.skipIf(providerUnavailable('cuda') === null)('cuda by name without its provider library is a clear error', async () => {
    const err = await refusal(openSession(pack.fusionFile, { device: 'cuda' }));
    expect(err.message).toContain('Cannot run');
    expect(err.message).toContain('on cuda: provider library not installed');
    expect(err.message).toContain('--onnxruntime-node-install=cuda12');
  });

  it.skipIf(process.platform === 'win32')('dml by name off Windows is a clear error', async () => {
    const err = await refusal(openSession(pack.fusionFile, { device: 'dml' }));
    expect(err.message).toMatch(/on dml: .*DirectML runs on Windows only/);
  });
});
