// The shipped late-fusion pack, replayed through onnxruntime-node: the ONNX graph must give
// what PyTorch gave on the same real feature rows (training/pack.py writes the fixture),
// with token ids padded the way the runtime pads them, and the manifest must pass the
// runtime's own pack checks.

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
  expected: { score: number[]; logits: number[]; modality_weights: number[] };
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
      const weights = out.modality_weights.data as Float32Array;
      expect(maxAbsDiff(weights, c.expected.modality_weights), `${c.name} weights`).toBeLessThanOrEqual(fixture.tolerance);
      // Absent modalities carry no weight: the presence mask really masks.
      c.inputs.presence.forEach((p, k) => {
        if (p === 0) expect(weights[k], `${c.name} weight of absent ${MODALITIES[k]}`).toBe(0);
      });
    }
  });
});
