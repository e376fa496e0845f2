// The shipped late-fusion pack, replayed through onnxruntime-node: the ONNX graph must give
// what PyTorch gave on the same real feature rows (training/sentiscope_training/pack.py writes
// the fixture), with token ids padded the way the runtime pads them, and the manifest must
// pass the runtime's own pack checks.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelPack } from '../../src/core/models/pack-loader';
import { MODALITIES } from '../../src/core/models/manifest';

const PACK = resolve('resources/models/late-fusion-v1');

interface ParityCase {
  name: string;
  inputs: { token_ids: number[]; lexicon: number[]; audio_statistics: number[]; visual_statistics: number[]; presence: number[] };
  expected: { score: number[]; logits: number[]; ood: number[] };
}
const fixture = JSON.parse(readFileSync(join(PACK, 'parity', 'fixture.json'), 'utf8')) as {
  maxTokens: number;
  tolerance: number;
  cases: ParityCase[];
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('late-fusion-v1 pack', () => {
  it('passes the runtime pack checks (recipes, columns, vocabulary, tensors)', async () => {
    const pack = await loadModelPack(PACK);
    expect(pack.manifest.id).toBe('late-fusion-v1');
    expect(pack.manifest.modalities).toEqual([...MODALITIES]);
    expect(pack.vocabulary?.size).toBeGreaterThan(1000);
    expect(pack.manifest.inputs.text?.maxTokens).toBe(fixture.maxTokens);
    expect(pack.manifest.fusion.outputs.ood).toBe('ood');
  });

  it('flags what is unlike its training data: a recording pushed far out, and text of unknown words', () => {
    const flags = Object.fromEntries(fixture.cases.map((c) => [c.name, c.expected.ood]));
    expect(flags['audio outside the training range'][1]).toBe(1);
    expect(flags['unknown tokens'][0]).toBe(1);
    expect(flags['mosi dev text']).toEqual([0, 0, 0]);
  });

  it('matches PyTorch on every fixture row within 1e-4', async () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(6);
    const session = await ort.InferenceSession.create(join(PACK, 'fusion.onnx'));
    for (const c of fixture.cases) {
      expect(c.inputs.token_ids.length, c.name).toBe(fixture.maxTokens);
      const feeds = {
        token_ids: new ort.Tensor('int64', BigInt64Array.from(c.inputs.token_ids, BigInt), [1, c.inputs.token_ids.length]),
        lexicon: new ort.Tensor('float32', Float32Array.from(c.inputs.lexicon), [1, c.inputs.lexicon.length]),
        audio_statistics: new ort.Tensor('float32', Float32Array.from(c.inputs.audio_statistics), [1, c.inputs.audio_statistics.length]),
        visual_statistics: new ort.Tensor('float32', Float32Array.from(c.inputs.visual_statistics), [1, c.inputs.visual_statistics.length]),
        presence: new ort.Tensor('float32', Float32Array.from(c.inputs.presence), [1, 3]),
      };
      const out = await session.run(feeds);
      expect(out.score.dims, c.name).toEqual([1, 1]);
      expect(out.logits.dims, c.name).toEqual([1, 3]);
      expect(maxAbsDiff(out.score.data as Float32Array, c.expected.score), `${c.name} score`).toBeLessThanOrEqual(fixture.tolerance);
      expect(maxAbsDiff(out.logits.data as Float32Array, c.expected.logits), `${c.name} logits`).toBeLessThanOrEqual(fixture.tolerance);
      const ood = out.ood.data as Float32Array;
      expect(Array.from(ood), `${c.name} out-of-range flags`).toEqual(c.expected.ood);
      // Absent modalities are never flagged: the presence mask really masks.
      c.inputs.presence.forEach((p, k) => {
        if (p === 0) expect(ood[k], `${c.name} flag of absent ${MODALITIES[k]}`).toBe(0);
      });
    }
  });
});
