// The shipped seed packs (resources/models/<arch>-seed-v1, written by training/seed_pack.py),
// replayed through onnxruntime-node: each committed fusion.onnx must give what PyTorch gave
// on its committed fixture of real feature rows (token ids padded to maxTokens as the runtime
// pads them; an absent modality fed as one zero frame with presence 0), and each manifest
// must pass the runtime's own pack checks.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelPack } from '../../src/core/models/pack-loader';
import { MODALITIES } from '../../src/core/models/manifest';

// SEED_PACKS_DIR: check packs written elsewhere (e.g. training/seed_pack.py --models /tmp/packs).
const MODELS = resolve(process.env.SEED_PACKS_DIR ?? 'resources/models');
const PACKS = readdirSync(MODELS)
  .filter((d) => d.endsWith('-seed-v1') && existsSync(join(MODELS, d, 'manifest.json')))
  .sort();

interface Tensor {
  dims: number[];
  data: number[];
}
interface Fixture {
  maxTokens: number;
  tolerance: number;
  inputNames: string[];
  outputs: string[];
  cases: { name: string; inputs: Record<string, Tensor>; expected: Record<string, number[]> }[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function feed(name: string, t: Tensor): ort.Tensor {
  return name === 'text_ids'
    ? new ort.Tensor(
        'int64',
        BigInt64Array.from(t.data, (v) => BigInt(v)),
        t.dims,
      )
    : new ort.Tensor('float32', Float32Array.from(t.data), t.dims);
}

describe('seed model packs', () => {
  it('are shipped (one per seed architecture)', () => {
    expect(PACKS.length, `seed packs in ${MODELS}`).toBeGreaterThanOrEqual(1);
  });

  describe.each(PACKS)('%s', (id) => {
    const dir = join(MODELS, id);
    const fixture = JSON.parse(readFileSync(join(dir, 'parity', 'fixture.json'), 'utf8')) as Fixture;

    it('passes the runtime pack checks and is not the default', async () => {
      const pack = await loadModelPack(dir);
      expect(pack.manifest.id).toBe(id);
      expect(pack.manifest.default ?? false).toBe(false);
      expect(pack.manifest.modalities).toEqual([...MODALITIES]);
      expect(pack.manifest.inputs.text?.maxTokens).toBe(fixture.maxTokens);
      expect(pack.vocabulary?.size).toBeGreaterThan(1000);
      expect(pack.manifest.fusion.inputs.map((s) => s.feature)).toEqual(['text.token_ids', 'audio.frames', 'visual.frames', 'presence']);
    });

    it('matches PyTorch on every fixture row within 1e-4', async () => {
      expect(fixture.cases.length).toBeGreaterThanOrEqual(5);
      const session = await ort.InferenceSession.create(join(dir, 'fusion.onnx'));
      expect(session.inputNames).toEqual(fixture.inputNames);
      expect(session.outputNames).toEqual(fixture.outputs);
      let worst = 0;
      for (const c of fixture.cases) {
        expect(c.inputs.text_ids.dims, c.name).toEqual([1, fixture.maxTokens]);
        const feeds: Record<string, ort.Tensor> = {};
        for (const n of fixture.inputNames) feeds[n] = feed(n, c.inputs[n]);
        const out = await session.run(feeds);
        expect(out.score.dims, c.name).toEqual([1, 1]);
        expect(out.logits.dims, c.name).toEqual([1, 3]);
        for (const o of fixture.outputs) {
          const diff = maxAbsDiff(out[o].data as Float32Array, c.expected[o]);
          expect(diff, `${c.name} ${o}`).toBeLessThanOrEqual(fixture.tolerance);
          worst = Math.max(worst, diff);
        }
        expect(Math.abs((out.score.data as Float32Array)[0])).toBeLessThanOrEqual(3);
        // Gates are in [0, 1] and an absent modality's gate is exactly 0.
        for (const g of fixture.outputs.slice(2)) {
          (out[g].data as Float32Array).forEach((v, k) => {
            expect(v, `${c.name} ${g}[${k}]`).toBeGreaterThanOrEqual(0);
            expect(v, `${c.name} ${g}[${k}]`).toBeLessThanOrEqual(1);
            if (c.inputs.presence.data[k] === 0) expect(v, `${c.name} ${g} of absent ${MODALITIES[k]}`).toBe(0);
          });
        }
      }
      console.log(`${id}: max |onnx - torch| ${worst.toExponential(2)} over ${fixture.cases.length} cases`);
    });

    it("ignores an absent modality's frame content (presence 0)", async () => {
      const session = await ort.InferenceSession.create(join(dir, 'fusion.onnx'));
      const base = fixture.cases.find((c) => c.inputs.presence.data.join(',') === '1,0,0');
      expect(base, 'a text-only case').toBeDefined();
      const feeds: Record<string, ort.Tensor> = {};
      for (const n of fixture.inputNames) feeds[n] = feed(n, base!.inputs[n]);
      const reference = await session.run(feeds);
      // Noise frames of other lengths in place of the absent audio and visual zero frames.
      const noise = (frames: number, width: number) =>
        new ort.Tensor(
          'float32',
          Float32Array.from({ length: frames * width }, (_, i) => Math.sin(i * 12.9898) * 40),
          [1, frames, width],
        );
      feeds.audio_frames = noise(37, 57);
      feeds.visual_frames = noise(4, 9);
      const noisy = await session.run(feeds);
      for (const o of fixture.outputs) {
        expect(maxAbsDiff(noisy[o].data as Float32Array, reference[o].data as Float32Array), o).toBeLessThanOrEqual(1e-5);
      }
    });
  });
});
