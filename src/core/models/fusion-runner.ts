// Running a pack's fusion model on one segment's features. Inputs are built from the
// manifest's tensor specs; a modality that is absent (or masked out for contributions)
// gets zeros in every one of its inputs and 0 in the presence mask, so "absent" means one
// thing to the model whether the media lacked it or Shapley removed it.

import * as ort from 'onnxruntime-node';
import { SentiscopeError } from '../../shared/errors';
import type { SegmentFeatures } from '../analysis/segment-features';
import { encodeTokens } from '../analysis/text';
import {
  type Device,
  type ExecutionProvider,
  type ProviderFallback,
  describeProvider,
  openSession,
} from './execution-providers';
import { FEATURE_KINDS } from './feature-columns';
import { MODALITIES, type Modality, type TensorSpec } from './manifest';
import type { ModelPack } from './pack-loader';

export interface FusionOutput {
  /** The score head, clamped to the manifest's scoreRange. */
  score: number;
  /** softmax(logits), in manifest.output.classes order. */
  probabilities: [number, number, number];
  /** Gate name -> values, where the pack exposes gates. */
  gates?: Record<string, number[]>;
}

/** Which modalities take part in a run; a modality without features never does. */
export type ModalityMask = Readonly<Record<Modality, boolean>>;

export interface FusionRunnerOptions {
  device?: Device;
  threads?: number;
}

export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

export class FusionRunner {
  private constructor(
    readonly pack: ModelPack,
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider,
    readonly fallbacks: ProviderFallback[],
  ) {}

  /** Opens the pack's fusion model on the device and checks its tensor names against the manifest. */
  static async create(pack: ModelPack, options: FusionRunnerOptions = {}): Promise<FusionRunner> {
    const { session, provider, fallbacks } = await openSession(pack.fusionFile, options);
    const { fusion } = pack.manifest;
    const declared = fusion.inputs.map((s) => s.name).sort();
    const actual = [...session.inputNames].sort();
    const wantedOutputs = [fusion.outputs.score, fusion.outputs.logits, ...Object.values(fusion.outputs.gates ?? {})];
    const missingOutputs = wantedOutputs.filter((n) => !session.outputNames.includes(n));
    if (JSON.stringify(declared) !== JSON.stringify(actual) || missingOutputs.length) {
      throw new SentiscopeError(
        'bad-input',
        `${pack.fusionFile} does not match its manifest: the model takes inputs [${actual.join(', ')}] and gives [${session.outputNames.join(', ')}]; ` +
          `the manifest declares inputs [${declared.join(', ')}]${missingOutputs.length ? ` and outputs ${missingOutputs.join(', ')}` : ''}. Rebuild the pack.`,
        pack.fusionFile,
      );
    }
    return new FusionRunner(pack, session, provider, fallbacks);
  }

  /** "cpu (webgpu unavailable: no GPU adapter (...))" */
  get providerDescription(): string {
    return describeProvider(this.provider, this.fallbacks);
  }

  /** Modalities that have features here and that this pack reads. */
  presentModalities(features: SegmentFeatures): Modality[] {
    return MODALITIES.filter((m) => features[m] !== null && this.pack.manifest.modalities.includes(m));
  }

  /** Runs the model; `mask` removes present modalities (all present ones take part by default). */
  async run(features: SegmentFeatures, mask?: Partial<ModalityMask>): Promise<FusionOutput> {
    const present = new Set(this.presentModalities(features).filter((m) => mask?.[m] !== false));
    const feeds: Record<string, ort.Tensor> = {};
    for (const spec of this.pack.manifest.fusion.inputs) feeds[spec.name] = this.tensorFor(spec, features, present);
    const { outputs } = this.pack.manifest.fusion;
    const { output } = this.pack.manifest;
    const results = await this.session.run(feeds);
    const scoreData = results[outputs.score].data as Float32Array;
    const logits = results[outputs.logits].data as Float32Array;
    if (scoreData.length !== 1 || logits.length !== output.classes.length) {
      throw new SentiscopeError(
        'bad-input',
        `${this.pack.fusionFile} gave ${scoreData.length} score values and ${logits.length} logits; the manifest promises 1 and ${output.classes.length}. Rebuild the pack.`,
        this.pack.fusionFile,
      );
    }
    const [low, high] = output.scoreRange;
    const raw = scoreData[0];
    if (!Number.isFinite(raw) || !Array.from(logits).every(Number.isFinite)) {
      throw new SentiscopeError('internal', `${this.pack.fusionFile} produced a non-finite output.`, this.pack.fusionFile);
    }
    const result: FusionOutput = {
      score: Math.min(high, Math.max(low, raw)),
      probabilities: softmax(logits) as [number, number, number],
    };
    if (outputs.gates) {
      result.gates = Object.fromEntries(
        Object.entries(outputs.gates).map(([gate, tensor]) => [gate, Array.from(results[tensor].data as Float32Array)]),
      );
    }
    return result;
  }

  private tensorFor(spec: TensorSpec, features: SegmentFeatures, present: ReadonlySet<Modality>): ort.Tensor {
    const kind = FEATURE_KINDS[spec.feature];
    if (spec.feature === 'presence') {
      return new ort.Tensor('float32', Float32Array.from(MODALITIES, (m) => (present.has(m) ? 1 : 0)), [1, MODALITIES.length]);
    }
    const on = kind.modality !== null && present.has(kind.modality);
    switch (spec.feature) {
      case 'text.token_ids': {
        const maxTokens = this.pack.manifest.inputs.text!.maxTokens!;
        const ids = new BigInt64Array(maxTokens);
        if (on) {
          const encoded = encodeTokens(features.text!.tokens, this.pack.vocabulary!, maxTokens);
          for (let i = 0; i < maxTokens; i++) ids[i] = BigInt(encoded.ids[i]);
        }
        return new ort.Tensor('int64', ids, [1, maxTokens]);
      }
      case 'text.lexicon':
        return vectorTensor(on ? features.text!.lexicon : null, kind.columns!.length);
      case 'audio.statistics':
        return vectorTensor(on ? features.audio!.statistics : null, kind.columns!.length);
      case 'visual.statistics':
        return vectorTensor(on ? features.visual!.statistics : null, kind.columns!.length);
      default:
        // pack-loader refuses packs with kinds this build cannot feed.
        throw new SentiscopeError('internal', `No input builder for ${spec.feature}.`, this.pack.fusionFile);
    }
  }
}

function vectorTensor(values: Float32Array | null, width: number): ort.Tensor {
  if (values && values.length !== width) {
    throw new SentiscopeError('internal', `feature vector has ${values.length} values where the pack expects ${width}.`, null);
  }
  return new ort.Tensor('float32', values ? Float32Array.from(values) : new Float32Array(width), [1, width]);
}
