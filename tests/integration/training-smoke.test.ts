// The seed fusion architectures (training/models), end to end: training/smoke.py trains each
// for a few steps on the committed slice of real features, checks masking / presence / gates,
// exports ONNX at batch 1 with dynamic sequence lengths and saves PyTorch's outputs; here every
// exported graph runs in onnxruntime-node on the same inputs (cases of different lengths) and
// must match PyTorch within 1e-4.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PYTHON = '/usr/bin/python3';
const ARCHITECTURES = ['late-fusion', 'tfn', 'lmf', 'cmsta', 'fdcmdie', 'clip-ca'];
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) {
  console.warn(
    `training-smoke: SKIPPED — ${PYTHON} cannot import torch/onnx/numpy; install python3-torch python3-onnx python3-numpy (Debian) to run it`,
  );
}

interface Tensor {
  dims: number[];
  data: number[];
}
interface ParityCase {
  name: string;
  inputs: Record<string, Tensor>;
  expected: Record<string, number[]>;
}
interface Parity {
  tolerance: number;
  inputNames: string[];
  architectures: Record<string, { file: string; outputs: string[]; cases: ParityCase[] }>;
}
interface Report {
  seconds: number;
  checks_passed: number;
  failures: string[];
  architectures: Record<string, { training: { loss_first: number; loss_last: number } }>;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(!hasTorch)('seed architectures: smoke training, ONNX export, parity', () => {
  let out = '';
  let parity: Parity;
  let report: Report;
  let stdout = '';

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'sentiscope-training-smoke-'));
    const run = spawnSync(PYTHON, ['training/smoke.py', '--out', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    stdout = `${run.stdout}\n${run.stderr}`;
    if (!existsSync(join(out, 'report.json'))) {
      throw new Error(`training/smoke.py failed (exit ${run.status}) before writing its report:\n${stdout.slice(-4000)}`);
    }
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    parity = JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as Parity;
  }, 900_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('passes every behaviour check (masking, presence, gates, finite losses, pair selection)', () => {
    expect(report.failures, stdout).toEqual([]);
    expect(report.checks_passed).toBeGreaterThan(50);
    for (const name of ARCHITECTURES) {
      const t = report.architectures[name].training;
      expect(Number.isFinite(t.loss_first) && Number.isFinite(t.loss_last), name).toBe(true);
    }
    console.log(`training smoke: ${report.checks_passed} checks in ${report.seconds} s`);
  });

  it.each(ARCHITECTURES)('%s: ONNX in onnxruntime-node matches PyTorch within 1e-4 at several lengths', async (name) => {
    const arch = parity.architectures[name];
    expect(arch, `${name} exported`).toBeDefined();
    expect(arch.cases.length).toBeGreaterThanOrEqual(3);
    // The cases differ in sequence length: the dynamic axes are really exercised.
    const shapes = new Set(
      arch.cases.map((c) =>
        parity.inputNames
          .slice(0, 3)
          .map((n) => c.inputs[n].dims[1])
          .join('x'),
      ),
    );
    expect(shapes.size).toBe(arch.cases.length);
    const session = await ort.InferenceSession.create(join(out, arch.file));
    expect(session.inputNames).toEqual(parity.inputNames);
    expect(session.outputNames).toEqual(arch.outputs);
    let worst = 0;
    for (const c of arch.cases) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const n of parity.inputNames) feeds[n] = new ort.Tensor('float32', Float32Array.from(c.inputs[n].data), c.inputs[n].dims);
      const result = await session.run(feeds);
      expect(result.score.dims, c.name).toEqual([1, 1]);
      expect(result.logits.dims, c.name).toEqual([1, 3]);
      for (const o of arch.outputs) {
        const diff = maxAbsDiff(result[o].data as Float32Array, c.expected[o]);
        expect(diff, `${name} ${c.name} ${o}`).toBeLessThanOrEqual(parity.tolerance);
        worst = Math.max(worst, diff);
      }
      const score = (result.score.data as Float32Array)[0];
      expect(Math.abs(score)).toBeLessThanOrEqual(3);
      // Gates are in [0, 1], and an absent modality's gate is 0.
      for (const g of arch.outputs.slice(2)) {
        const gate = result[g].data as Float32Array;
        gate.forEach((v, k) => {
          expect(v, `${name} ${g}[${k}]`).toBeGreaterThanOrEqual(0);
          expect(v, `${name} ${g}[${k}]`).toBeLessThanOrEqual(1);
          if (c.inputs.presence.data[k] === 0) expect(v, `${name} ${c.name} ${g} of absent modality ${k}`).toBe(0);
        });
      }
    }
    console.log(`${name}: max |onnx - torch| ${worst.toExponential(2)} over ${arch.cases.length} cases`);
  });
});
