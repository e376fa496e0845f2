// Model packs whose fusion ONNX takes frame sequences (the seed architectures' contract:
// text_ids [1, tokens], audio_frames [1, frames, 57], visual_frames [1, frames, 9],
// presence [1, 3]). A tiny real pack is built here (tests/helpers/make-sequence-fusion.py,
// PyTorch -> ONNX) whose extra outputs echo what it was fed. On real MOSI, EmoDB and MVSA
// rows: `sentiscope predict` runs it, and its numbers equal the same ONNX run in
// onnxruntime on the frames `sentiscope features --sequences` wrote for the same rows, so
// the runtime feeds exactly what training reads. Also: refusals of packs whose frame
// specs differ, absent modalities fed as one zero frame, and the analysis job.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACOUSTIC_RECIPE } from '../../src/core/analysis/acoustic';
import { DEFAULT_VISUAL_RECIPE } from '../../src/core/analysis/face';
import { runAnalysisJob } from '../../src/core/analysis/pipeline';
import {
  AUDIO_FRAME_NAMES,
  SegmentFeatureExtractor,
  type SegmentFeatures,
  VISUAL_FRAME_NAMES,
} from '../../src/core/analysis/features/segment-features';
import { DEFAULT_TEXT_RECIPE } from '../../src/core/analysis/text';
import { decodeNpyFloat32, decodeNpyInt64Vector } from '../../src/core/io/npy';
import {
  FusionRunner,
  type ModelPack,
  type ModelPackManifest,
  loadModelPack,
  predictWithContributions,
  softmax,
} from '../../src/core/models';
import { ProjectStore } from '../../src/core/store';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { refusal } from '../helpers/refusal';
import { runSentiscope } from '../helpers/sentiscope-cli';

const PYTHON = '/usr/bin/python3';
const DATA = resolve('../shared/data');
const EMODB_WAV = join(DATA, 'emodb/wav/03a01Fa.wav');
const MVSA_IMAGE = join(DATA, 'mvsa/images/4713.jpg');
const MVSA_TEXT = 'So proud of her today!';
const MAX_TOKENS = 12; // below the MOSI transcript's length, so truncation is exercised
// Some words of the rows' texts; the others map to the unknown id 1.
const VOCABULARY = ['sucker', 'punch', 'is', 'a', 'failure', 'but', 'like', 'really', 'weird', 'so', 'proud', 'her', 'today', 'ambitious'];
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) {
  console.warn(`sequence-packs: SKIPPED — ${PYTHON} cannot import torch/onnx; install python3-torch python3-onnx (Debian) to run it`);
}

function sequenceManifest(): ModelPackManifest {
  return {
    format: 'sentiscope-model-pack',
    formatVersion: 1,
    id: 'tiny-sequence',
    version: '0.0.1',
    name: 'Tiny sequence pack (tests)',
    architecture: 'tiny-sequence-test',
    description: 'Untrained; its gates echo the fed lengths, magnitudes and presence.',
    modalities: ['text', 'audio', 'visual'],
    inputs: {
      text: { recipe: structuredClone(DEFAULT_TEXT_RECIPE), vocabulary: 'vocab.txt', maxTokens: MAX_TOKENS },
      audio: { recipe: structuredClone(DEFAULT_ACOUSTIC_RECIPE) },
      visual: { recipe: structuredClone(DEFAULT_VISUAL_RECIPE) },
    },
    fusion: {
      file: 'fusion.onnx',
      inputs: [
        { name: 'text_ids', dtype: 'int64', shape: [1, 'tokens'], feature: 'text.token_ids' },
        {
          name: 'audio_frames',
          dtype: 'float32',
          shape: [1, 'audio_frames', AUDIO_FRAME_NAMES.length],
          feature: 'audio.frames',
          columns: [...AUDIO_FRAME_NAMES],
        },
        {
          name: 'visual_frames',
          dtype: 'float32',
          shape: [1, 'visual_frames', VISUAL_FRAME_NAMES.length],
          feature: 'visual.frames',
          columns: [...VISUAL_FRAME_NAMES],
        },
        { name: 'presence', dtype: 'float32', shape: [1, 3], feature: 'presence' },
      ],
      outputs: {
        score: 'score',
        logits: 'logits',
        gates: { lengths: 'fed_lengths', magnitude: 'fed_magnitude', presence: 'fed_presence' },
      },
    },
    output: { scoreRange: [-3, 3], classes: ['negative', 'neutral', 'positive'] },
    training: { data: [], command: '/usr/bin/python3 tests/helpers/make-sequence-fusion.py' },
    metrics: {},
    license: 'CC0-1.0',
    derivedFrom: [],
  };
}

const sentiscope = (...args: string[]) => runSentiscope(args);

function mosiTranscript(): string {
  const { header, rows } = parseCsv(readFileSync(join(DATA, 'mosi/segments.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const row = rows.find((r) => r.cells[col('video_id')] === 'Oz06ZWiO20M' && r.cells[col('clip_id')] === '6');
  if (!row) throw new Error('no transcript for Oz06ZWiO20M_6');
  return row.cells[col('text')];
}

const ROW_IDS = ['clip', 'wav', 'post'];
let dir: string;
let packDir: string;
let pack: ModelPack;
let runner: FusionRunner;
let extractor: SegmentFeatureExtractor;
let transcript: string;
let featuresDir: string;
let predicted: Record<string, string>[];
let runs: { features: { code: number | null; stderr: string }; predict: { code: number | null; stderr: string } };

/** A copy of the pack in `name`, its manifest edited by `edit`. */
async function packCopy(name: string, edit: (m: ModelPackManifest) => void): Promise<string> {
  const target = join(dir, name);
  await cp(packDir, target, { recursive: true });
  const manifest = sequenceManifest();
  edit(manifest);
  await writeFile(join(target, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return target;
}

beforeAll(async () => {
  if (!hasTorch) return;
  dir = await makeTempDir('sentiscope-sequence-packs-');
  packDir = join(dir, 'tiny-sequence');
  await mkdir(packDir);
  await writeFile(join(packDir, 'vocab.txt'), VOCABULARY.join('\n') + '\n');
  await writeFile(join(packDir, 'manifest.json'), JSON.stringify(sequenceManifest(), null, 2));
  const python = spawnSync(
    PYTHON,
    [
      'tests/helpers/make-sequence-fusion.py',
      join(packDir, 'fusion.onnx'),
      String(VOCABULARY.length),
      String(AUDIO_FRAME_NAMES.length),
      String(VISUAL_FRAME_NAMES.length),
    ],
    { encoding: 'utf8' },
  );
  if (python.status !== 0) throw new Error(`make-sequence-fusion.py failed: ${python.stderr}`);
  pack = await loadModelPack(packDir);
  runner = await FusionRunner.create(pack, { device: 'cpu' });
  extractor = await SegmentFeatureExtractor.create();

  transcript = mosiTranscript();
  const input = join(dir, 'rows.csv');
  await writeFile(
    input,
    [
      'id,text,image,audio,video,label',
      `clip,"${transcript.replace(/"/g, '""')}",,,mosi/media/Oz06ZWiO20M_6.mp4,negative`,
      'wav,,,emodb/wav/03a01Fa.wav,,negative',
      `post,${MVSA_TEXT},mvsa/images/4713.jpg,,,positive`,
    ].join('\n') + '\n',
  );
  featuresDir = join(dir, 'features');
  const out = join(dir, 'rows.pred.csv');
  const [features, predict] = await Promise.all([
    sentiscope('features', '--in', input, '--out', featuresDir, '--base', DATA, '--sequences', '--jobs', '1'),
    sentiscope('predict', '--in', input, '--out', out, '--base', DATA, '--model', packDir, '--device', 'cpu'),
  ]);
  runs = { features, predict };
  if (predict.code === 0) {
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    predicted = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r.cells[i]])));
  }
}, 300_000);
afterAll(async () => {
  extractor?.close();
  if (dir) await removeTempDir(dir);
});

/** The frames, tokens and presence `features --sequences` wrote, row by row. */
function featureFileRows() {
  const read = (name: string) => readFileSync(join(featuresDir, name));
  const audio = decodeNpyFloat32(read('audio_frames.npy'));
  const visual = decodeNpyFloat32(read('visual_frames.npy'));
  const audioOffsets = decodeNpyInt64Vector(read('audio_frame_offsets.npy'));
  const visualOffsets = decodeNpyInt64Vector(read('visual_frame_offsets.npy'));
  const presence = decodeNpyFloat32(read('presence.npy'));
  const tokens = read('tokens.jsonl')
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
  const description = JSON.parse(read('features.json').toString('utf8'));
  return ROW_IDS.map((_, i) => ({
    tokens: tokens[i],
    presence: Array.from(presence.data.subarray(i * 3, i * 3 + 3)),
    audio: {
      frames: audioOffsets[i + 1] - audioOffsets[i],
      data: audio.data.subarray(audioOffsets[i] * audio.cols, audioOffsets[i + 1] * audio.cols),
    },
    visual: {
      frames: visualOffsets[i + 1] - visualOffsets[i],
      data: visual.data.subarray(visualOffsets[i] * visual.cols, visualOffsets[i + 1] * visual.cols),
    },
    columns: description.columns as { audio_frames: string[]; visual_frames: string[] },
  }));
}
type FileRow = ReturnType<typeof featureFileRows>[number];

/**
 * The pack's ONNX in a plain onnxruntime session on a feature-file row, fed per the seed
 * contract (vocabulary id = 2 + line, unknown 1; absent -> one zero frame / id 0, presence 0).
 */
async function onnxOnFileRow(session: ort.InferenceSession, row: FileRow, presence: number[] = row.presence) {
  const vocabulary = new Map(VOCABULARY.map((t, i) => [t, i + 2]));
  const ids = presence[0] ? row.tokens.slice(0, MAX_TOKENS).map((t) => BigInt(vocabulary.get(t) ?? 1)) : [0n];
  const frames = (m: { frames: number; data: Float32Array }, on: number, dims: number) =>
    on
      ? new ort.Tensor('float32', Float32Array.from(m.data), [1, m.frames, dims])
      : new ort.Tensor('float32', new Float32Array(dims), [1, 1, dims]);
  const out = await session.run({
    text_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]),
    audio_frames: frames(row.audio, presence[1], AUDIO_FRAME_NAMES.length),
    visual_frames: frames(row.visual, presence[2], VISUAL_FRAME_NAMES.length),
    presence: new ort.Tensor('float32', Float32Array.from(presence), [1, 3]),
  });
  const score = Math.max(-3, Math.min(3, (out.score.data as Float32Array)[0]));
  return { score, probabilities: softmax(out.logits.data as Float32Array), lengths: Array.from(out.fed_lengths.data as Float32Array) };
}

describe.skipIf(!hasTorch)('frame-sequence model packs', () => {
  it('loads, and `sentiscope predict` runs it on a MOSI clip, an EmoDB wav and an MVSA image row', () => {
    expect(pack.manifest.fusion.inputs.map((s) => s.feature)).toEqual(['text.token_ids', 'audio.frames', 'visual.frames', 'presence']);
    expect(runner.framesOf).toEqual(['audio', 'visual']);
    expect(runs.predict.code, runs.predict.stderr).toBe(0);
    expect(runs.predict.stderr).toMatch(/model tiny-sequence@0\.0\.1 on cpu, 3 rows/);
    expect(predicted.map((r) => r.id)).toEqual(ROW_IDS);
    const byId = Object.fromEntries(predicted.map((r) => [r.id, r]));
    const given = (r: Record<string, string>) => ['contrib_text', 'contrib_audio', 'contrib_visual'].map((c) => r[c] !== '');
    expect(given(byId.clip)).toEqual([true, true, true]);
    expect(given(byId.wav)).toEqual([false, true, false]);
    expect(given(byId.post)).toEqual([true, false, true]);
  });

  it('gives the numbers the same ONNX gives on the frames `features --sequences` wrote for those rows', async () => {
    expect(runs.features.code, runs.features.stderr).toBe(0);
    const rows = featureFileRows();
    // The pack's columns are the columns training reads.
    expect(rows[0].columns.audio_frames).toEqual(pack.manifest.fusion.inputs[1].columns);
    expect(rows[0].columns.visual_frames).toEqual(pack.manifest.fusion.inputs[2].columns);
    expect(rows.map((r) => r.presence)).toEqual([
      [1, 1, 1],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    const session = await ort.InferenceSession.create(pack.fusionFile);
    for (const [i, row] of rows.entries()) {
      const csv = predicted[i];
      const expected = await onnxOnFileRow(session, row);
      const base = await onnxOnFileRow(session, row, [0, 0, 0]);
      // The CSV has 4 decimals.
      expect(Math.abs(Number(csv.pred_score) - expected.score), `${csv.id} score`).toBeLessThanOrEqual(5.1e-5);
      ['p_negative', 'p_neutral', 'p_positive'].forEach((c, k) =>
        expect(Math.abs(Number(csv[c]) - expected.probabilities[k]), `${csv.id} ${c}`).toBeLessThanOrEqual(5.1e-5),
      );
      const contributions = ['contrib_text', 'contrib_audio', 'contrib_visual'].filter((c) => csv[c] !== '').map((c) => Number(csv[c]));
      expect(
        Math.abs(contributions.reduce((a, b) => a + b, 0) - (expected.score - base.score)),
        `${csv.id} efficiency`,
      ).toBeLessThanOrEqual(2e-4);
    }
    // The wav has one modality: its contribution is the full score minus the empty run.
    expect(
      Math.abs(
        Number(predicted[1].contrib_audio) -
          ((await onnxOnFileRow(session, rows[1])).score - (await onnxOnFileRow(session, rows[1], [0, 0, 0])).score),
      ),
    ).toBeLessThanOrEqual(5.1e-5);

    // In process, unrounded: the runtime's own feeds give the very same outputs, and it
    // fed every frame (lengths echoed by the graph) at the recipe's rate.
    const sources = [
      { text: transcript, audio: { path: MOSI_CLIP }, visual: { path: MOSI_CLIP } },
      { audio: { path: EMODB_WAV } },
      { text: MVSA_TEXT, visual: { path: MVSA_IMAGE } },
    ];
    for (const [i, source] of sources.entries()) {
      const features = await extractor.extract(source, { frames: true });
      const output = await runner.run(features);
      const expected = await onnxOnFileRow(session, rows[i]);
      expect(Math.abs(output.score - expected.score), ROW_IDS[i]).toBeLessThanOrEqual(1e-6);
      output.probabilities.forEach((p, k) => expect(Math.abs(p - expected.probabilities[k])).toBeLessThanOrEqual(1e-6));
      expect(output.gates!.lengths).toEqual(expected.lengths);
      expect(output.gates!.lengths.slice(1)).toEqual([rows[i].audio.frames || 1, rows[i].visual.frames || 1]);
    }
    expect(rows[0].audio.frames).toBeGreaterThan(700); // 7.5 s at 100 frames a second
    expect(rows[0].visual.frames).toBeGreaterThan(10);
    expect(rows[2].visual.frames).toBe(1); // a still image: its one frame
    const clipTokens = Math.min(MAX_TOKENS, rows[0].tokens.length);
    expect(rows[0].tokens.length).toBeGreaterThan(MAX_TOKENS);
    expect((await runner.run(await extractor.extract({ text: transcript }, { frames: true }))).gates!.lengths[0]).toBe(clipTokens);
  }, 240_000);

  it('refuses packs whose frame specs differ, naming manifest.json and the difference', async () => {
    const swapped = await packCopy('swapped', (m) => {
      const columns = m.fusion.inputs[1].columns!;
      [columns[0], columns[1]] = [columns[1], columns[0]];
    });
    let err = await refusal(loadModelPack(swapped));
    expect(err.file).toBe(join(swapped, 'manifest.json'));
    expect(err.message).toContain(join(swapped, 'manifest.json'));
    expect(err.message).toMatch(
      /fusion input "audio_frames" \(audio\.frames\) columns differ from what this build computes: column 0 is "logmel_1" in the pack, "logmel_0" here/,
    );

    const narrow = await packCopy('narrow', (m) => {
      m.fusion.inputs[2].shape = [1, 'visual_frames', 8];
      m.fusion.inputs[2].columns = VISUAL_FRAME_NAMES.slice(0, 8);
    });
    err = await refusal(loadModelPack(narrow));
    expect(err.message).toContain(join(narrow, 'manifest.json'));
    expect(err.message).toContain(
      'fusion input "visual_frames" (visual.frames) has width 8 (its last dimension); this build computes 9 columns',
    );
    expect(err.message).toContain('pack lists 8, this build computes 9; not in the pack: face_score');

    const lastDim = await packCopy('last-dim', (m) => {
      m.fusion.inputs[1].shape = [1, 'audio_frames', 56];
    });
    expect((await refusal(loadModelPack(lastDim))).message).toContain(
      '"audio_frames" (audio.frames) has width 56 (its last dimension); this build computes 57 columns',
    );

    const fixed = await packCopy('fixed-frames', (m) => {
      m.fusion.inputs[1].shape = [1, 100, 57];
    });
    expect((await refusal(loadModelPack(fixed))).message).toContain(
      '"audio_frames" (audio.frames) has a fixed frames axis 100; it must be a named dynamic axis',
    );

    const flat = await packCopy('rank-2', (m) => {
      m.fusion.inputs[2].shape = [1, 9];
    });
    expect((await refusal(loadModelPack(flat))).message).toContain('"visual_frames" (visual.frames) must have 3 dimensions');

    const unlisted = await packCopy('no-columns', (m) => {
      delete m.fusion.inputs[1].columns;
    });
    expect((await refusal(loadModelPack(unlisted))).message).toContain('"audio_frames" (audio.frames) must list its "columns"');

    // And the CLI says so, exit code non-zero.
    const cli = await sentiscope(
      'predict',
      '--in',
      join(dir, 'rows.csv'),
      '--out',
      join(dir, 'never.csv'),
      '--base',
      DATA,
      '--model',
      swapped,
    );
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(join(swapped, 'manifest.json'));
    expect(cli.stderr).toContain('column 0 is "logmel_1" in the pack');
  }, 60_000);

  it('feeds an absent or masked-out modality as one zero frame with presence 0', async () => {
    const wav = await extractor.extract({ audio: { path: EMODB_WAV } }, { frames: true });
    const audioFrames = wav.audio!.frames!.frames;
    expect(audioFrames).toBeGreaterThan(100);
    // Text and visual not given: one id 0 / one zero frame, presence 0.
    const full = await runner.run(wav);
    expect(full.gates).toEqual({ lengths: [1, audioFrames, 1], magnitude: [0, expect.any(Number), 0], presence: [0, 1, 0] });
    expect(full.gates!.magnitude[1]).toBeGreaterThan(0);
    // Masked out for contributions: the same as absent.
    const masked = await runner.run(wav, { audio: false });
    expect(masked.gates).toEqual({ lengths: [1, 1, 1], magnitude: [0, 0, 0], presence: [0, 0, 0] });
    const prediction = await predictWithContributions(runner, wav);
    expect(prediction.base).toBeCloseTo(masked.score, 6);
    expect(prediction.contributions.audio!).toBeCloseTo(full.score - masked.score, 6);

    // Present but no frame: counts as absent ([Note: absent frames] in fusion-runner.ts).
    const noFrames: SegmentFeatures = {
      ...wav,
      audio: { statistics: wav.audio!.statistics, frames: { ...wav.audio!.frames!, frames: 0, data: new Float32Array(0) } },
    };
    expect(runner.presentModalities(noFrames)).toEqual([]);
    const empty = await runner.run(noFrames);
    expect(empty.gates).toEqual(masked.gates);
    expect(empty.score).toBe(masked.score);
    expect((await predictWithContributions(runner, noFrames)).contributions).toEqual({ text: null, audio: null, visual: null });

    // Features extracted without frames are a caller's bug, not an absent modality.
    const statisticsOnly = await extractor.extract({ audio: { path: EMODB_WAV } });
    const err = await refusal(runner.run(statisticsOnly));
    expect(err.code).toBe('internal');
    expect(err.message).toContain('extract with { frames: true }');
  }, 60_000);

  it('the analysis job feeds the frames of the per-segment path `features --sequences` uses', async () => {
    const srt = join(dir, 'clip.srt');
    await writeFile(
      srt,
      '1\n00:00:00,300 --> 00:00:03,100\nsucker punch is a failure\n\n2\n00:00:03,100 --> 00:00:07,000\nbut like a really ambitious weird one\n',
    );
    const store = ProjectStore.open(join(dir, 'clip.sentiscope'));
    try {
      const summary = await runAnalysisJob(
        { projectPath: store.path, file: MOSI_CLIP, transcript: srt, model: packDir, device: 'cpu' },
        { jobId: 'seq', store },
      );
      expect(summary).toMatchObject({ segments: 2, predicted: 2, absent: { text: 0, audio: 0, visual: 0 } });
      expect(summary.seconds.audio).toBeGreaterThan(0);
      expect(summary.seconds.visual).toBeGreaterThan(0);
      const segments = store.listSegments(summary.mediaId);
      const stored = store.listPredictions(summary.mediaId);
      for (const segment of segments) {
        const range = { path: MOSI_CLIP, start: segment.start, end: segment.end };
        const features = await extractor.extract({ text: segment.text, audio: range, visual: range }, { frames: true });
        const expected = await predictWithContributions(runner, features);
        const got = stored.find((p) => p.segmentId === segment.id)!;
        expect(Math.abs(got.score - expected.score)).toBeLessThanOrEqual(1e-6);
        for (const m of ['text', 'audio', 'visual'] as const)
          expect(Math.abs(got.contributions[m]! - expected.contributions[m]!)).toBeLessThanOrEqual(1e-6);
      }
    } finally {
      store.close();
    }
  }, 180_000);
});
