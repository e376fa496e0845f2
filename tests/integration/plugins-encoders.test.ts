// Pretrained encoder plug-ins end to end: scripts/tiny-models/make_tiny_encoders.py builds
// tiny random-weight BERT (feature extraction and classification), wav2vec2 and CLIP folders
// in PyTorch and saves PyTorch's outputs for fixed inputs; here @huggingface/transformers
// loads each folder offline (tokenizer, feature extractor, image processor, ONNX model) and
// the plug-in's pooled vectors must match PyTorch within 1e-4. That proves the loading, the
// preprocessing and the pooling. Folders missing a required file are refused, naming it.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioToArray, sampleFrames } from '../../src/core/media';
import { inspectEncoderFolder, openAudioEncoder, openEncoder, openImageEncoder, openTextEncoder } from '../../src/core/plugins';
import { refusal } from '../helpers/refusal';

const PYTHON = '/usr/bin/python3';
const MOSI_WAV = fileURLToPath(new URL('../../../shared/data/mosi/media/03bSnISJMiM_1.wav', import.meta.url));
const MOSI_VIDEO = fileURLToPath(new URL('../../../shared/data/mosi/media/Oz06ZWiO20M_6.mp4', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) {
  console.warn(
    `plugins-encoders: SKIPPED — ${PYTHON} cannot import torch/onnx/numpy; install python3-torch python3-onnx python3-numpy (Debian) to run it`,
  );
}

interface References {
  tolerance: number;
  bert_feature: { texts: string[]; input_ids: number[][]; dims: number; mean: number[][]; cls: number[][]; mean_single: number[][] };
  bert_classifier: { texts: string[]; labels: string[]; logits: number[][]; probabilities: number[][] };
  wav2vec2: { input: string; samples: number; dims: number; frames: number; mean: number[] };
  clip_vision: { input: string; width: number; height: number; dims: number; image_embeds: number[] };
  clip_text: { texts: string[]; dims: number; text_embeds: number[][] };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(!hasTorch)('pretrained encoder plug-ins (tiny models built in PyTorch)', () => {
  let out = '';
  let ref: References;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'sentiscope-encoders-'));
    const run = spawnSync(PYTHON, ['scripts/tiny-models/make_tiny_encoders.py', '--out', out], { encoding: 'utf8' });
    if (!existsSync(join(out, 'references.json'))) {
      throw new Error(`make_tiny_encoders.py failed (exit ${run.status}):\n${`${run.stdout}\n${run.stderr}`.slice(-4000)}`);
    }
    ref = JSON.parse(readFileSync(join(out, 'references.json'), 'utf8')) as References;
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('inspects folders: family, modality, task and where the ONNX file is (onnx/ or top level)', () => {
    const feature = inspectEncoderFolder(join(out, 'bert-feature'));
    expect([feature.family, feature.modality, feature.task, feature.subfolder, feature.dtype]).toEqual([
      'bert',
      'text',
      'feature-extraction',
      'onnx',
      'fp32',
    ]);
    expect(feature.modelFile).toBe(join(out, 'bert-feature', 'onnx', 'model.onnx'));
    const classifier = inspectEncoderFolder(join(out, 'bert-classifier'));
    expect([classifier.task, classifier.subfolder]).toEqual(['text-classification', '']);
    expect(classifier.modelFile).toBe(join(out, 'bert-classifier', 'model.onnx'));
    expect(inspectEncoderFolder(join(out, 'wav2vec2')).modality).toBe('audio');
    const clip = inspectEncoderFolder(join(out, 'clip'));
    expect([clip.family, clip.modality]).toEqual(['clip', 'image']);
    expect(clip.modelFile).toBe(join(out, 'clip', 'onnx', 'vision_model.onnx'));
  });

  it('BERT feature extraction: mean and CLS pooling match PyTorch; a padded batch equals each text alone', async () => {
    const mean = await openTextEncoder(join(out, 'bert-feature'));
    try {
      expect([mean.family, mean.task, mean.dims, mean.provider]).toEqual(['bert', 'feature-extraction', ref.bert_feature.dims, 'cpu']);
      // The fixed texts exercise [UNK] (id 1) and ## continuation pieces, with padding in the batch.
      expect(ref.bert_feature.input_ids[1]).toContain(1);
      expect(new Set(ref.bert_feature.input_ids.map((ids) => ids.length)).size).toBeGreaterThan(1);
      const batch = await mean.embedMany(ref.bert_feature.texts);
      for (let i = 0; i < ref.bert_feature.texts.length; i++) {
        expect(batch[i].length).toBe(ref.bert_feature.dims);
        expect(maxAbsDiff(batch[i], ref.bert_feature.mean[i])).toBeLessThan(ref.tolerance);
        const alone = await mean.embed(ref.bert_feature.texts[i]);
        expect(maxAbsDiff(alone, ref.bert_feature.mean_single[i])).toBeLessThan(ref.tolerance);
      }
      // Different texts give different vectors (the tokenizer did not map everything to [UNK]).
      expect(maxAbsDiff(batch[0], batch[1])).toBeGreaterThan(1e-2);
    } finally {
      await mean.dispose();
    }
    const cls = await openTextEncoder(join(out, 'bert-feature'), { pooling: 'cls' });
    try {
      const batch = await cls.embedMany(ref.bert_feature.texts);
      ref.bert_feature.cls.forEach((expected, i) => expect(maxAbsDiff(batch[i], expected)).toBeLessThan(ref.tolerance));
      await expect(cls.classify('no classes here')).rejects.toThrow(/feature-extraction/);
    } finally {
      await cls.dispose();
    }
  });

  it('BERT text classification (files at the top level): logits, probabilities and id2label labels', async () => {
    const encoder = await openTextEncoder(join(out, 'bert-classifier'));
    try {
      expect([encoder.task, encoder.dims, encoder.labels]).toEqual(['text-classification', 3, ref.bert_classifier.labels]);
      for (let i = 0; i < ref.bert_classifier.texts.length; i++) {
        const result = await encoder.classify(ref.bert_classifier.texts[i]);
        expect(maxAbsDiff(result.logits, ref.bert_classifier.logits[i])).toBeLessThan(ref.tolerance);
        expect(maxAbsDiff(result.probabilities, ref.bert_classifier.probabilities[i])).toBeLessThan(ref.tolerance);
        const probs = ref.bert_classifier.probabilities[i];
        expect(result.label).toBe(ref.bert_classifier.labels[probs.indexOf(Math.max(...probs))]);
        expect(maxAbsDiff(await encoder.embed(ref.bert_classifier.texts[i]), probs)).toBeLessThan(ref.tolerance);
      }
    } finally {
      await encoder.dispose();
    }
  });

  it('wav2vec2: normalization + time-mean match PyTorch; real MOSI speech decoded by ffmpeg embeds', async () => {
    const encoder = await openAudioEncoder(join(out, 'wav2vec2'));
    try {
      expect([encoder.family, encoder.dims, encoder.sampleRate, encoder.minSamples]).toEqual(['wav2vec2', ref.wav2vec2.dims, 16000, 40]);
      const bytes = readFileSync(join(out, ref.wav2vec2.input));
      const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      expect(samples.length).toBe(ref.wav2vec2.samples);
      expect(maxAbsDiff(await encoder.embed(samples), ref.wav2vec2.mean)).toBeLessThan(ref.tolerance);

      const first = await decodeAudioToArray(MOSI_WAV, { start: 0, end: 1.5 });
      const second = await decodeAudioToArray(MOSI_WAV, { start: 1.5, end: 3 });
      const a = await encoder.embed(first);
      const b = await encoder.embed(second);
      expect(a.length).toBe(ref.wav2vec2.dims);
      expect(a.every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(a, await encoder.embed(first))).toBe(0);
      expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-4);
      const short = await refusal(encoder.embed(first.subarray(0, 39)));
      expect(short.message).toMatch(/at least 40/);
    } finally {
      await encoder.dispose();
    }
  });

  it('CLIP: image_embeds match PyTorch; a real video frame (resized by the processor) embeds; text tower too', async () => {
    const encoder = await openImageEncoder(join(out, 'clip'));
    try {
      expect([encoder.family, encoder.dims, encoder.hasText]).toEqual(['clip', ref.clip_vision.dims, true]);
      const rgb = new Uint8Array(readFileSync(join(out, ref.clip_vision.input)));
      const embeds = await encoder.embed({ width: ref.clip_vision.width, height: ref.clip_vision.height, rgb });
      expect(maxAbsDiff(embeds, ref.clip_vision.image_embeds)).toBeLessThan(ref.tolerance);

      const frames = sampleFrames(MOSI_VIDEO, { fps: 1, maxSize: 96, end: 1 });
      const frame = (await frames.next()).value;
      await frames.return(undefined);
      if (!frame) throw new Error('no frame decoded from the MOSI video');
      const fromVideo = await encoder.embed(frame);
      expect(fromVideo.length).toBe(ref.clip_vision.dims);
      expect(fromVideo.every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(fromVideo, embeds)).toBeGreaterThan(1e-3);

      for (let i = 0; i < ref.clip_text.texts.length; i++) {
        const text = await encoder.embedText(ref.clip_text.texts[i]);
        expect(maxAbsDiff(text, ref.clip_text.text_embeds[i])).toBeLessThan(ref.tolerance);
      }
      await expect(encoder.embed({ width: 4, height: 4, rgb: new Uint8Array(10) })).rejects.toThrow(/needs 48 bytes/);
    } finally {
      await encoder.dispose();
    }
  });

  it('openEncoder picks the encoder from config.json, and refuses a folder of the wrong modality', async () => {
    const audio = await openEncoder(join(out, 'wav2vec2'));
    expect(audio.modality).toBe('audio');
    await audio.dispose();
    const wrong = await refusal(openTextEncoder(join(out, 'wav2vec2')));
    expect(wrong.message).toMatch(/wav2vec2 \(audio\) model, not a text encoder/);
  });

  it('a GPU device that cannot run falls back to cpu with the reason (same numbers)', async () => {
    const encoder = await openTextEncoder(join(out, 'bert-feature'), { device: 'webgpu' });
    try {
      if (encoder.provider === 'cpu') {
        expect(encoder.fallbacks.map((f) => f.provider)).toEqual(['webgpu']);
        expect(encoder.fallbacks[0].reason).toMatch(/\S/);
        expect(encoder.fallbacks[0].reason).not.toMatch(/onnxruntime_src/);
        console.log(`webgpu fallback reason: ${encoder.fallbacks[0].reason}`);
      }
      const v = await encoder.embed(ref.bert_feature.texts[0]);
      expect(maxAbsDiff(v, ref.bert_feature.mean_single[0])).toBeLessThan(1e-3);
    } finally {
      await encoder.dispose();
    }
  });

  // Each required file, removed from a copy of a good folder, is named by the refusal.
  const MISSING: [folder: string, file: string, open: (dir: string) => Promise<unknown>][] = [
    ['bert-feature', 'tokenizer.json', (d) => openTextEncoder(d)],
    ['bert-feature', 'tokenizer_config.json', (d) => openTextEncoder(d)],
    ['bert-feature', 'onnx/model.onnx', (d) => openTextEncoder(d)],
    ['bert-feature', 'config.json', (d) => openTextEncoder(d)],
    ['bert-classifier', 'model.onnx', (d) => openTextEncoder(d)],
    ['wav2vec2', 'preprocessor_config.json', (d) => openAudioEncoder(d)],
    ['wav2vec2', 'onnx/model.onnx', (d) => openAudioEncoder(d)],
    ['clip', 'preprocessor_config.json', (d) => openImageEncoder(d)],
    ['clip', 'onnx/vision_model.onnx', (d) => openImageEncoder(d)],
  ];
  it.each(MISSING)('%s without %s is refused with an error naming that file', async (folder, file, open) => {
    const copy = mkdtempSync(join(tmpdir(), 'sentiscope-encoder-missing-'));
    try {
      cpSync(join(out, folder), copy, { recursive: true });
      renameSync(join(copy, file), join(copy, `${file}.moved`));
      const err = await refusal(open(copy));
      expect(err.code).toBe('file-missing');
      // A model file may live in onnx/ or at the top level: the error names the Hub layout.
      const named = file.endsWith('.onnx') ? join(copy, 'onnx', file.replace(/^onnx\//, '')) : join(copy, file);
      expect(err.file).toBe(named);
      expect(err.message).toContain(named);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a damaged ONNX file is refused naming the folder, not crashing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'sentiscope-encoder-damaged-'));
    try {
      cpSync(join(out, 'bert-feature'), copy, { recursive: true });
      cpSync(join(copy, 'tokenizer.json'), join(copy, 'onnx', 'model.onnx'));
      const err = await refusal(openTextEncoder(copy));
      expect(err.code).toBe('bad-model');
      expect(err.file).toBe(join(copy, 'onnx', 'model.onnx'));
      expect(err.message).toContain(copy);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
