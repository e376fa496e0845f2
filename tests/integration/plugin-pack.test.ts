// A model pack that reads its modalities through encoder plug-ins (inputs.<m>.encoder,
// text.encoder / audio.encoder / visual.encoder tensors). Tiny random-weight BERT, wav2vec2
// and CLIP folders (scripts/tiny-models/make_tiny_encoders.py) sit inside the pack folder,
// and a tiny fusion ONNX (tests/helpers/make-encoder-fusion.py) reads their embeddings.
// `sentiscope predict` on a MOSI clip, an MVSA post, an EmoDB wav and a too-short wav must
// give exactly what running each encoder by hand (openTextEncoder(...).embed, ...) and then
// the fusion ONNX in onnxruntime gives. Packs whose encoder folder is incomplete, of the
// wrong modality, or whose dims differ are refused, naming the file.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACOUSTIC_RECIPE } from '../../src/core/analysis/acoustic';
import { ENCODER_FRAME_MAX_SIZE } from '../../src/core/analysis/features/encoder-features';
import { DEFAULT_VISUAL_RECIPE } from '../../src/core/analysis/face';
import { runAnalysisJob } from '../../src/core/analysis/pipeline';
import { DEFAULT_TEXT_RECIPE } from '../../src/core/analysis/text';
import { decodeAudioToArray, probeMedia, sampleFrames } from '../../src/core/media';
import { type ModelPackManifest, loadModelPack, softmax } from '../../src/core/models';
import { openAudioEncoder, openImageEncoder, openTextEncoder } from '../../src/core/plugins';
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
const CLIP_TEXT = 'That movie was a sucker punch but really weird.';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) {
  console.warn(
    `plugin-pack: SKIPPED — ${PYTHON} cannot import torch/onnx/numpy; install python3-torch python3-onnx python3-numpy (Debian) to run it`,
  );
}

interface Dims {
  text: number;
  audio: number;
  visual: number;
}

function encoderManifest(dims: Dims): ModelPackManifest {
  return {
    format: 'sentiscope-model-pack',
    formatVersion: 1,
    id: 'tiny-encoders',
    version: '0.0.1',
    name: 'Tiny encoder plug-in pack (tests)',
    architecture: 'tiny-encoder-fusion-test',
    description: 'Untrained; reads BERT, wav2vec2 and CLIP embeddings.',
    modalities: ['text', 'audio', 'visual'],
    inputs: {
      text: {
        recipe: structuredClone(DEFAULT_TEXT_RECIPE),
        encoder: { folder: 'encoders/bert', family: 'bert', dims: dims.text, pooling: 'cls' },
      },
      audio: {
        recipe: structuredClone(DEFAULT_ACOUSTIC_RECIPE),
        encoder: { folder: 'encoders/wav2vec2', family: 'wav2vec2', dims: dims.audio },
      },
      visual: { recipe: structuredClone(DEFAULT_VISUAL_RECIPE), encoder: { folder: 'encoders/clip', family: 'clip', dims: dims.visual } },
    },
    fusion: {
      file: 'fusion.onnx',
      inputs: [
        { name: 'text_embedding', dtype: 'float32', shape: [1, dims.text], feature: 'text.encoder' },
        { name: 'audio_embedding', dtype: 'float32', shape: [1, dims.audio], feature: 'audio.encoder' },
        { name: 'visual_embedding', dtype: 'float32', shape: [1, dims.visual], feature: 'visual.encoder' },
        { name: 'presence', dtype: 'float32', shape: [1, 3], feature: 'presence' },
      ],
      outputs: { score: 'score', logits: 'logits' },
    },
    output: { scoreRange: [-3, 3], classes: ['negative', 'neutral', 'positive'] },
    training: { data: [], command: '/usr/bin/python3 tests/helpers/make-encoder-fusion.py' },
    metrics: {},
    license: 'CC0-1.0',
    derivedFrom: [],
  };
}

const sentiscope = (...args: string[]) => runSentiscope(args);

let dir = '';
let packDir = '';
let dims: Dims;
let shortWav = '';
let predict: { code: number | null; stderr: string };
const predicted: Record<string, Record<string, string>> = {};

/** A copy of the pack in `name`: `edit` changes its manifest, `files` its folder. */
async function packCopy(name: string, edit: (m: ModelPackManifest) => void, files?: (target: string) => Promise<void>): Promise<string> {
  const target = join(dir, name);
  await cp(packDir, target, { recursive: true });
  const manifest = encoderManifest(dims);
  edit(manifest);
  await writeFile(join(target, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await files?.(target);
  return target;
}

async function firstFrame(path: string, start?: number) {
  for await (const frame of sampleFrames(path, { start, fps: 1, maxSize: ENCODER_FRAME_MAX_SIZE })) return frame;
  throw new Error(`no frame in ${path}`);
}

/** The fusion ONNX run directly on embeddings (null: absent, zeros + presence 0). */
function fusionByHand(session: ort.InferenceSession) {
  return async (t: Float32Array | null, a: Float32Array | null, v: Float32Array | null) => {
    const feed = (x: Float32Array | null, d: number) => new ort.Tensor('float32', x ?? new Float32Array(d), [1, d]);
    const presence = Float32Array.from([t, a, v], (x) => (x ? 1 : 0));
    const out = await session.run({
      text_embedding: feed(t, dims.text),
      audio_embedding: feed(a, dims.audio),
      visual_embedding: feed(v, dims.visual),
      presence: new ort.Tensor('float32', presence, [1, 3]),
    });
    return { score: (out.score.data as Float32Array)[0], probabilities: softmax(out.logits.data as Float32Array) };
  };
}

describe.skipIf(!hasTorch)('model packs reading encoder plug-ins', () => {
  beforeAll(async () => {
    dir = await makeTempDir('sentiscope-plugin-pack-');
    const built = join(dir, 'built');
    const tiny = spawnSync(PYTHON, ['scripts/tiny-models/make_tiny_encoders.py', '--out', built], { encoding: 'utf8' });
    if (!existsSync(join(built, 'references.json')))
      throw new Error(`make_tiny_encoders.py failed (exit ${tiny.status}):\n${tiny.stderr.slice(-4000)}`);
    const ref = JSON.parse(readFileSync(join(built, 'references.json'), 'utf8')) as Record<string, { dims: number }>;
    dims = { text: ref.bert_feature.dims, audio: ref.wav2vec2.dims, visual: ref.clip_vision.dims };

    packDir = join(dir, 'tiny-encoders');
    await mkdir(join(packDir, 'encoders'), { recursive: true });
    await cp(join(built, 'bert-feature'), join(packDir, 'encoders/bert'), { recursive: true });
    await cp(join(built, 'wav2vec2'), join(packDir, 'encoders/wav2vec2'), { recursive: true });
    await cp(join(built, 'clip'), join(packDir, 'encoders/clip'), { recursive: true });
    await writeFile(join(packDir, 'manifest.json'), JSON.stringify(encoderManifest(dims), null, 2));
    const fusion = spawnSync(
      PYTHON,
      ['tests/helpers/make-encoder-fusion.py', join(packDir, 'fusion.onnx'), String(dims.text), String(dims.audio), String(dims.visual)],
      { encoding: 'utf8' },
    );
    if (fusion.status !== 0) throw new Error(`make-encoder-fusion.py failed: ${fusion.stderr}`);

    // 24 samples at 16 kHz: fewer than the tiny wav2vec2's front end needs (40).
    shortWav = join(dir, 'short.wav');
    const ffmpeg = spawnSync('/usr/bin/ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=16000',
      '-t',
      '0.0015',
      '-ac',
      '1',
      '-y',
      shortWav,
    ]);
    if (ffmpeg.status !== 0) throw new Error('ffmpeg could not write the short wav');

    const input = join(dir, 'rows.csv');
    await writeFile(
      input,
      [
        'id,text,image,audio,video',
        `clip,${CLIP_TEXT},,,mosi/media/Oz06ZWiO20M_6.mp4`,
        `post,${MVSA_TEXT},mvsa/images/4713.jpg,,`,
        'wav,,,emodb/wav/03a01Fa.wav,',
        `short,,,${shortWav},`,
      ].join('\n') + '\n',
    );
    const out = join(dir, 'rows.pred.csv');
    predict = await sentiscope(
      'predict',
      '--in',
      input,
      '--out',
      out,
      '--base',
      DATA,
      '--model',
      packDir,
      '--device',
      'cpu',
      '--threads',
      '1',
    );
    if (predict.code === 0) {
      const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
      for (const r of rows) {
        const row = Object.fromEntries(header.map((h, i) => [h, r.cells[i]]));
        predicted[row.id] = row;
      }
    }
  }, 300_000);

  afterAll(async () => {
    if (dir) await removeTempDir(dir);
  });

  it('loads with its encoders resolved inside the pack folder', async () => {
    const pack = await loadModelPack(packDir);
    expect(pack.encoders.map((e) => [e.modality, e.family, e.dims, e.pooling])).toEqual([
      ['text', 'bert', dims.text, 'cls'],
      ['audio', 'wav2vec2', dims.audio, 'mean'],
      ['visual', 'clip', dims.visual, 'mean'],
    ]);
    expect(pack.encoders[0].dir).toBe(join(packDir, 'encoders/bert'));
  });

  it('`sentiscope predict` gives what the encoders then the fusion ONNX give, run by hand', async () => {
    expect(predict.code, predict.stderr).toBe(0);
    expect(Object.keys(predicted)).toEqual(['clip', 'post', 'wav', 'short']);

    const text = await openTextEncoder(join(packDir, 'encoders/bert'), { pooling: 'cls' });
    const audio = await openAudioEncoder(join(packDir, 'encoders/wav2vec2'));
    const image = await openImageEncoder(join(packDir, 'encoders/clip'));
    const session = await ort.InferenceSession.create(join(packDir, 'fusion.onnx'));
    const fusion = fusionByHand(session);

    // The MOSI clip: its text, its whole audio track, the frame at the middle of the video.
    const duration = (await probeMedia(MOSI_CLIP)).duration;
    const expected = {
      clip: await fusion(
        await text.embed(CLIP_TEXT),
        await audio.embed(await decodeAudioToArray(MOSI_CLIP)),
        await image.embed(await firstFrame(MOSI_CLIP, duration / 2)),
      ),
      post: await fusion(await text.embed(MVSA_TEXT), null, await image.embed(await firstFrame(MVSA_IMAGE))),
      wav: await fusion(null, await audio.embed(await decodeAudioToArray(EMODB_WAV)), null),
      short: await fusion(null, null, null),
    };
    for (const e of [text, audio, image]) await e.dispose();
    await session.release();

    for (const [id, e] of Object.entries(expected)) {
      const row = predicted[id];
      expect(Number(row.pred_score), id).toBeCloseTo(e.score, 3);
      expect([row.p_negative, row.p_neutral, row.p_positive].map(Number), id).toEqual(e.probabilities.map((p) => expect.closeTo(p, 3)));
    }
    // Distinct rows give distinct numbers: the embeddings, not only presence, reach the model.
    expect(new Set(Object.values(predicted).map((r) => r.pred_score)).size).toBe(4);
    // Contributions: the present modalities get one, the absent ones none.
    expect([predicted.clip.contrib_text, predicted.clip.contrib_audio, predicted.clip.contrib_visual].every((c) => c !== '')).toBe(true);
    expect([predicted.post.contrib_text, predicted.post.contrib_audio, predicted.post.contrib_visual].map((c) => c !== '')).toEqual([
      true,
      false,
      true,
    ]);
    expect([predicted.wav.contrib_text, predicted.wav.contrib_audio, predicted.wav.contrib_visual].map((c) => c !== '')).toEqual([
      false,
      true,
      false,
    ]);
    // The short wav: audio absent with the encoder's reason.
    expect(predict.stderr).toMatch(
      /short\): text absent \(no text\), audio absent \(too short for the wav2vec2 encoder \(\d+ samples, it needs 40\)\)/,
    );
  }, 120_000);

  it('refuses an encoder folder missing tokenizer.json, naming that file', async () => {
    const broken = await packCopy(
      'no-tokenizer',
      () => {},
      (target) => rm(join(target, 'encoders/bert/tokenizer.json')),
    );
    const err = await refusal(loadModelPack(broken));
    expect(err.file).toBe(join(broken, 'encoders/bert/tokenizer.json'));
    expect(err.message).toContain('tokenizer.json');
    expect(err.message).toContain(join(broken, 'manifest.json'));
    // The CLI says so too, with a non-zero exit.
    const cli = await sentiscope(
      'predict',
      '--in',
      join(dir, 'rows.csv'),
      '--out',
      join(dir, 'never.csv'),
      '--base',
      DATA,
      '--model',
      broken,
    );
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(join(broken, 'encoders/bert/tokenizer.json'));
  }, 60_000);

  it('refuses dims that differ from the encoder or from the tensor, naming manifest.json', async () => {
    // Manifest consistent with itself, but the encoder gives dims.text values.
    const wide = await packCopy('wide', (m) => {
      m.inputs.text!.encoder!.dims = dims.text + 1;
      m.fusion.inputs[0].shape = [1, dims.text + 1];
    });
    let err = await refusal(loadModelPack(wide));
    expect(err.file).toBe(join(wide, 'manifest.json'));
    expect(err.message).toContain(`says dims ${dims.text + 1}`);
    expect(err.message).toContain(`gives ${dims.text}-value embeddings`);

    // The tensor's width differs from the encoder's dims.
    const narrow = await packCopy('narrow', (m) => {
      m.fusion.inputs[1].shape = [1, dims.audio - 1];
    });
    err = await refusal(loadModelPack(narrow));
    expect(err.file).toBe(join(narrow, 'manifest.json'));
    expect(err.message).toContain(`"inputs.audio.encoder.dims" is ${dims.audio}`);
  });

  it('refuses an encoder of the wrong modality or family, and an encoder tensor without its encoder', async () => {
    const swapped = await packCopy('swapped', (m) => {
      m.inputs.text!.encoder = { folder: 'encoders/wav2vec2', family: 'wav2vec2', dims: dims.audio };
    });
    let err = await refusal(loadModelPack(swapped));
    expect(err.file).toBe(join(swapped, 'manifest.json'));
    expect(err.message).toContain('text needs a text encoder');

    const family = await packCopy('family', (m) => {
      m.inputs.text!.encoder!.family = 'roberta';
    });
    err = await refusal(loadModelPack(family));
    expect(err.message).toContain('says family "roberta"');

    const unnamed = await packCopy('unnamed', (m) => {
      delete m.inputs.visual!.encoder;
    });
    err = await refusal(loadModelPack(unnamed));
    expect(err.file).toBe(join(unnamed, 'manifest.json'));
    expect(err.message).toContain('reads visual.encoder, but "inputs.visual.encoder" is missing');

    const outside = await packCopy('outside', (m) => {
      m.inputs.audio!.encoder!.folder = 'encoders/nowhere';
    });
    err = await refusal(loadModelPack(outside));
    expect(err.code).toBe('file-missing');
    expect(err.message).toContain(join(outside, 'encoders/nowhere'));
  });

  it('the analysis job embeds each segment: its text, its audio, the frame at its middle', async () => {
    const srt = join(dir, 'clip.srt');
    await writeFile(
      srt,
      '1\n00:00:00,300 --> 00:00:03,100\nsucker punch is a failure\n\n2\n00:00:03,100 --> 00:00:07,000\nbut like a really ambitious weird one\n',
    );
    const store = ProjectStore.open(join(dir, 'clip.sentiscope'));
    const text = await openTextEncoder(join(packDir, 'encoders/bert'), { pooling: 'cls' });
    const audio = await openAudioEncoder(join(packDir, 'encoders/wav2vec2'));
    const image = await openImageEncoder(join(packDir, 'encoders/clip'));
    const session = await ort.InferenceSession.create(join(packDir, 'fusion.onnx'));
    try {
      const summary = await runAnalysisJob(
        { projectPath: store.path, file: MOSI_CLIP, transcript: srt, model: packDir, device: 'cpu' },
        { jobId: 'enc', store },
      );
      expect(summary).toMatchObject({ segments: 2, predicted: 2, absent: { text: 0, audio: 0, visual: 0 } });
      const stored = store.listPredictions(summary.mediaId);
      const fusion = fusionByHand(session);
      for (const segment of store.listSegments(summary.mediaId)) {
        const samples = await decodeAudioToArray(MOSI_CLIP, { start: segment.start, end: segment.end });
        const frame = await firstFrame(MOSI_CLIP, (segment.start + segment.end) / 2);
        const expected = await fusion(await text.embed(segment.text), await audio.embed(samples), await image.embed(frame));
        const got = stored.find((p) => p.segmentId === segment.id)!;
        expect(got.score).toBeCloseTo(expected.score, 4);
        expect([got.probabilities.negative, got.probabilities.neutral, got.probabilities.positive]).toEqual(
          expected.probabilities.map((p) => expect.closeTo(p, 4)),
        );
      }
    } finally {
      for (const e of [text, audio, image]) await e.dispose();
      await session.release();
      store.close();
    }
  }, 180_000);
});
