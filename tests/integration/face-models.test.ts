// Parity of the converted face models: the original TF.js graph models (run by
// tfjs-converter on the pure-JS CPU backend) and our ONNX files (onnxruntime-node) must give
// the same outputs for the same inputs — a real face frame from MOSI and random tensors.
// Also: the converter is deterministic (re-running it reproduces the committed files).

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_VISUAL_RECIPE,
  FaceDetector,
  cropToGreyTensor,
  expressionCrop,
  letterboxToTensor,
  mainFace,
} from '../../src/core/analysis/face';
import { type VideoFrame, sampleFrames } from '../../src/core/media';

const TFJS_DIR = 'node_modules/@vladmandic/human/models';
const ONNX_DIR = 'resources/models/face';
const MOSI_CLIP = '../shared/data/mosi/media/Oz06ZWiO20M_6.mp4';
// Per element |tfjs - onnx| <= 1e-4 * max(1, |tfjs|): absolute for probabilities and small
// values, relative for BlazeFace's raw logits, which reach thousands on the black letterbox
// border (float32 spacing there is already ~1e-4, so summation order alone moves them).
const TOLERANCE = 1e-4;
// BlazeFace's 20-odd float32 convolutions on a real frame: the kernels onnxruntime picks for
// the CPU at hand (AVX2 + FMA on an AMD EPYC gives 1.14e-4, scaled; earlier machines stayed
// under 1e-4) round differently from TF.js's plain loops. 5e-4 of a box coordinate is far
// below a pixel and of a logit far below what moves a detection score.
const BLAZEFACE_REAL_TOLERANCE = 5e-4;

interface Diff {
  /** max |a - b| */
  abs: number;
  /** max |a - b| / max(1, |a|) */
  scaled: number;
}

const show = (d: Diff) => `abs ${d.abs.toExponential(2)}, scaled ${d.scaled.toExponential(2)}`;

async function loadTfjs(name: string): Promise<GraphModel> {
  const spec = JSON.parse(readFileSync(join(TFJS_DIR, `${name}.json`), 'utf8'));
  const bins = spec.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => readFileSync(join(TFJS_DIR, p)));
  const data = Buffer.concat(bins);
  return loadGraphModel(
    tf.io.fromMemory({
      modelTopology: spec.modelTopology,
      weightSpecs: spec.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    }),
  );
}

/** Largest |tfjs - onnx| over every output, matched by name. */
async function maxOutputDiff(tfjs: GraphModel, session: ort.InferenceSession, input: Float32Array, shape: number[]): Promise<Diff> {
  const names = tfjs.outputs.map((o) => o.name);
  const x = tf.tensor(input, shape);
  const produced = tfjs.execute(x, names);
  const expected = Array.isArray(produced) ? produced : [produced];
  const actual = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, shape) });
  const max: Diff = { abs: 0, scaled: 0 };
  names.forEach((name, i) => {
    const a = expected[i].dataSync();
    const b = actual[`${name}:0`].data as Float32Array;
    expect(actual[`${name}:0`].dims).toEqual(expected[i].shape);
    for (let k = 0; k < a.length; k++) {
      const d = Math.abs(a[k] - b[k]);
      max.abs = Math.max(max.abs, d);
      max.scaled = Math.max(max.scaled, d / Math.max(1, Math.abs(a[k])));
    }
    expected[i].dispose();
  });
  x.dispose();
  return max;
}

/** Deterministic pseudo-random inputs in [lo, hi) (mulberry32). */
function randomInput(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

describe('converted face models match the TF.js originals', () => {
  const tfjs: Record<string, GraphModel> = {};
  const onnx: Record<string, ort.InferenceSession> = {};
  let frame: VideoFrame;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    for (const name of ['blazeface', 'emotion']) {
      tfjs[name] = await loadTfjs(name);
      onnx[name] = await ort.InferenceSession.create(join(ONNX_DIR, `${name}.onnx`));
    }
    for await (const f of sampleFrames(MOSI_CLIP, { fps: 1, maxSize: 480, start: 2, end: 3 })) {
      frame = f;
      break;
    }
  });

  afterAll(() => {
    for (const model of Object.values(tfjs)) model.dispose();
  });

  it('BlazeFace: same outputs on a real face frame and on random input', async () => {
    const size = DEFAULT_VISUAL_RECIPE.detector.inputSize;
    const real = letterboxToTensor(frame, size).tensor;
    const realDiff = await maxOutputDiff(tfjs.blazeface, onnx.blazeface, real, [1, size, size, 3]);
    const randomDiff = await maxOutputDiff(tfjs.blazeface, onnx.blazeface, randomInput(size * size * 3, 1), [1, size, size, 3]);
    console.log(`blazeface |tfjs - onnx|: real frame ${show(realDiff)}; random ${show(randomDiff)}`);
    expect(realDiff.scaled).toBeLessThanOrEqual(BLAZEFACE_REAL_TOLERANCE);
    expect(randomDiff.scaled).toBeLessThanOrEqual(TOLERANCE);
  });

  it('emotion net: same probabilities on a real face crop and on a random batch', async () => {
    const size = DEFAULT_VISUAL_RECIPE.expression.inputSize;
    const detector = new FaceDetector(onnx.blazeface, DEFAULT_VISUAL_RECIPE.detector);
    const face = mainFace(await detector.detect(frame));
    expect(face, 'the MOSI speaker is detected').not.toBeNull();
    const crop = cropToGreyTensor(frame, expressionCrop(face!.box, DEFAULT_VISUAL_RECIPE.expression.cropScale), size);
    const realDiff = await maxOutputDiff(tfjs.emotion, onnx.emotion, crop, [1, size, size, 1]);
    // Batch of 3 exercises the dynamic batch dimension.
    const randomDiff = await maxOutputDiff(tfjs.emotion, onnx.emotion, randomInput(3 * size * size, 2), [3, size, size, 1]);
    console.log(`emotion |tfjs - onnx|: real crop ${show(realDiff)}; random batch ${show(randomDiff)}`);
    // Probabilities: the absolute difference is the one that matters.
    expect(realDiff.abs).toBeLessThanOrEqual(TOLERANCE);
    expect(randomDiff.abs).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('scripts/convert-face-models.py', () => {
  const python = '/usr/bin/python3';
  const hasOnnx = spawnSync(python, ['-c', 'import onnx, numpy'], { stdio: 'ignore' }).status === 0;

  it.skipIf(!hasOnnx)('reproduces the committed .onnx files and manifest byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'sentiscope-face-models-'));
    try {
      execFileSync(python, ['scripts/convert-face-models.py', TFJS_DIR, out], { stdio: 'pipe' });
      for (const file of ['blazeface.onnx', 'emotion.onnx', 'manifest.json']) {
        const digest = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
        expect(digest(join(out, file)), file).toBe(digest(join(ONNX_DIR, file)));
      }
      const manifest = JSON.parse(readFileSync(join(ONNX_DIR, 'manifest.json'), 'utf8'));
      expect(manifest.models.blazeface.sha256).toBe(DEFAULT_VISUAL_RECIPE.detector.sha256);
      expect(manifest.models.emotion.sha256).toBe(DEFAULT_VISUAL_RECIPE.expression.sha256);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
