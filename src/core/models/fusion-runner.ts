// Running a pack's fusion model on one segment's features. Inputs are built from the
// manifest's tensor specs; a modality that is absent (or masked out for contributions)
// gets zeros in every one of its inputs and 0 in the presence mask, so "absent" means one
// thing to the model whether the media lacked it or Shapley removed it.
//
// [Note: absent frames]
// Sequence inputs (audio.frames, visual.frames [1, frames, D]; text.token_ids with a named
// tokens axis) get the segment's frames as they are, nothing padded: at batch 1 the seed
// graphs take every frame as real (PackExport in training/sentiscope_training/export.py).
// An absent or masked-out modality is fed as ONE zero frame (text: one token id 0) with
// presence 0; the graph must not read a frames axis of length 0.
// A modality the extractor calls present but whose sequence has no frame counts as ABSENT
// (one zero frame, presence 0, no contribution): a zero frame is not an observation, and
// in training (`features --sequences`) a present row always has frames (audio needs a full
// frame for its statistics, visual a face), so presence 1 over zeros is a case the pack
// never saw.
//
// [Note: encoder presence]
// A modality the pack reads through an encoder plug-in (text.encoder, ...) takes part only
// when its embedding was computed (features.embeddings[m]); a modality is present only when
// EVERY kind the pack reads of it is available, so a pack reading both visual.statistics and
// visual.encoder drops visual when either is missing. A modality read only through its
// encoder does not need the built-in extractor at all (features[m] may be null): a CLIP
// pack sees an image without a face.

import * as ort from 'onnxruntime-node';
import { SentiscopeError } from '../../shared/errors';
import type { FrameSequence, SegmentFeatures } from '../analysis/features/segment-features';
import { encodeTokens } from '../analysis/text';
import { type Device, type ExecutionProvider, type ProviderFallback, describeProvider, openSession } from './execution-providers';
import { FEATURE_KINDS, encoderModalities, extractedModalities, frameModalities } from './feature-columns';
import { MODALITIES, type Modality, type TensorFeature, type TensorSpec } from './manifest';
import type { ModelPack } from './pack-loader';
import { applyHeadLogits, headOffsets, refitVector } from './refit-head';

export interface FusionOutput {
  /** The score head, clamped to the manifest's scoreRange. */
  score: number;
  /** softmax(logits), in manifest.output.classes order. */
  probabilities: [number, number, number];
  /** Gate name -> values, where the pack exposes gates. */
  gates?: Record<string, number[]>;
  /** Per present modality: its input is outside the training data (the pack's `ood` output); absent when the pack has none. */
  outOfRange?: Partial<Record<Modality, boolean>>;
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
  /** Modalities whose frame sequences the pack reads. */
  readonly framesOf: readonly Modality[];
  /** Modalities the pack reads through an encoder plug-in (features.embeddings). */
  readonly encodersOf: readonly Modality[];
  /** Modalities the pack reads with the built-in extractors (SegmentFeatureExtractor). */
  readonly extractedOf: readonly Modality[];

  private constructor(
    readonly pack: ModelPack,
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider,
    readonly fallbacks: ProviderFallback[],
  ) {
    this.framesOf = frameModalities(pack.manifest.fusion.inputs);
    this.encodersOf = encoderModalities(pack.manifest.fusion.inputs);
    this.extractedOf = extractedModalities(pack.manifest.fusion.inputs);
  }

  /** Opens the pack's fusion model on the device and checks its tensor names against the manifest. */
  static async create(pack: ModelPack, options: FusionRunnerOptions = {}): Promise<FusionRunner> {
    const { session, provider, fallbacks } = await openSession(pack.fusionFile, options);
    const { fusion } = pack.manifest;
    const declared = fusion.inputs.map((s) => s.name).sort();
    const actual = [...session.inputNames].sort();
    const wantedOutputs = [
      fusion.outputs.score,
      fusion.outputs.logits,
      ...(fusion.outputs.ood ? [fusion.outputs.ood] : []),
      ...Object.values(fusion.outputs.gates ?? {}),
    ];
    const missingOutputs = wantedOutputs.filter((n) => !session.outputNames.includes(n));
    if (JSON.stringify(declared) !== JSON.stringify(actual) || missingOutputs.length) {
      throw new SentiscopeError(
        'bad-model',
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

  /**
   * Modalities that have features here and that this pack reads; one whose frames the pack
   * reads takes part only with at least one frame ([Note: absent frames]), one it reads
   * through an encoder only with its embedding ([Note: encoder presence]).
   */
  presentModalities(features: SegmentFeatures): Modality[] {
    return MODALITIES.filter((m) => {
      if (!this.pack.manifest.modalities.includes(m)) return false;
      if (this.encodersOf.includes(m)) {
        if (!features.embeddings) {
          throw new SentiscopeError(
            'internal',
            `${this.pack.manifest.id} reads the ${m} encoder's embedding, but the segment's features were computed without its encoders (EncoderFeatureExtractor).`,
            this.pack.fusionFile,
          );
        }
        if (!features.embeddings[m]) return false;
      }
      if (!this.extractedOf.includes(m)) return true;
      if (features[m] === null) return false;
      if (m === 'text' || !this.framesOf.includes(m)) return true;
      const frames = features[m]!.frames;
      if (!frames) {
        throw new SentiscopeError(
          'internal',
          `${this.pack.manifest.id} reads ${m} frames, but the segment's features were extracted without them (extract with { frames: true }).`,
          this.pack.fusionFile,
        );
      }
      return frames.frames > 0;
    });
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
        'bad-model',
        `${this.pack.fusionFile} gave ${scoreData.length} score values and ${logits.length} logits; the manifest promises 1 and ${output.classes.length}. Rebuild the pack.`,
        this.pack.fusionFile,
      );
    }
    const [low, high] = output.scoreRange;
    let raw = scoreData[0];
    if (!Number.isFinite(raw) || !Array.from(logits).every(Number.isFinite)) {
      throw new SentiscopeError('internal', `${this.pack.fusionFile} produced a non-finite output.`, this.pack.fusionFile);
    }
    let finalLogits: ArrayLike<number> = logits;
    const head = this.pack.refit;
    if (head) {
      // Only taking-part modalities feed the head, so a masked one adds no offset.
      const vectors = Object.fromEntries(
        [...present].flatMap((m) => {
          const v = refitVector(features, m);
          return v ? [[m, v]] : [];
        }),
      );
      const offsets = headOffsets(head, vectors);
      raw += offsets.score;
      finalLogits = applyHeadLogits(head, logits, offsets);
    }
    const result: FusionOutput = {
      score: Math.min(high, Math.max(low, raw)),
      probabilities: softmax(finalLogits) as [number, number, number],
    };
    if (outputs.ood) {
      const flags = results[outputs.ood].data as Float32Array;
      if (flags.length !== MODALITIES.length) {
        throw new SentiscopeError(
          'bad-model',
          `${this.pack.fusionFile} gave ${flags.length} out-of-range flags; the manifest promises one per modality (${MODALITIES.join(', ')}). Rebuild the pack.`,
          this.pack.fusionFile,
        );
      }
      result.outOfRange = Object.fromEntries(MODALITIES.filter((m) => present.has(m)).map((m) => [m, flags[MODALITIES.indexOf(m)] > 0.5]));
    }
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
      return new ort.Tensor(
        'float32',
        Float32Array.from(MODALITIES, (m) => (present.has(m) ? 1 : 0)),
        [1, MODALITIES.length],
      );
    }
    const on = kind.modality !== null && present.has(kind.modality);
    switch (spec.feature) {
      case 'text.token_ids': {
        // A fixed tokens axis is padded with id 0; a named one gets the tokens as they are
        // (at most maxTokens), and one id 0 when text is absent ([Note: absent frames]).
        const maxTokens = this.pack.manifest.inputs.text!.maxTokens!;
        const encoded = on ? encodeTokens(features.text!.tokens, this.pack.vocabulary!, maxTokens) : null;
        const length = typeof spec.shape[1] === 'number' ? maxTokens : Math.max(1, encoded?.length ?? 0);
        const ids = new BigInt64Array(length);
        for (let i = 0; i < Math.min(length, encoded?.length ?? 0); i++) ids[i] = BigInt(encoded!.ids[i]);
        return new ort.Tensor('int64', ids, [1, length]);
      }
      case 'text.lexicon':
        return vectorTensor(on ? features.text!.lexicon : null, kind.columns!.length);
      case 'audio.statistics':
        return vectorTensor(on ? features.audio!.statistics : null, kind.columns!.length);
      case 'visual.statistics':
        return vectorTensor(on ? features.visual!.statistics : null, kind.columns!.length);
      case 'audio.frames':
        return framesTensor(on ? features.audio!.frames! : null, kind.columns!, this.pack.fusionFile);
      case 'visual.frames':
        return framesTensor(on ? features.visual!.frames! : null, kind.columns!, this.pack.fusionFile);
      case 'text.encoder':
      case 'audio.encoder':
      case 'visual.encoder':
        return embeddingTensor(
          spec.feature,
          on ? features.embeddings![kind.modality!]! : null,
          spec.shape[1] as number,
          this.pack.fusionFile,
        );
      default:
        // pack-loader refuses packs with kinds this build cannot feed.
        throw new SentiscopeError('internal', `No input builder for ${spec.feature}.`, this.pack.fusionFile);
    }
  }
}

/** [1, D] of an encoder's embedding; zeros when the modality is absent. */
function embeddingTensor(feature: TensorFeature, values: Float32Array | null, width: number, fusionFile: string): ort.Tensor {
  if (values && values.length !== width) {
    throw new SentiscopeError(
      'internal',
      `the ${feature} embedding has ${values.length} values where the pack expects ${width}.`,
      fusionFile,
    );
  }
  return new ort.Tensor('float32', values ? Float32Array.from(values) : new Float32Array(width), [1, width]);
}

function vectorTensor(values: Float32Array | null, width: number): ort.Tensor {
  if (values && values.length !== width) {
    throw new SentiscopeError('internal', `feature vector has ${values.length} values where the pack expects ${width}.`, null);
  }
  return new ort.Tensor('float32', values ? Float32Array.from(values) : new Float32Array(width), [1, width]);
}

/** [1, frames, D] of a present modality's frames; one zero frame when it is absent. */
function framesTensor(sequence: FrameSequence | null, columns: readonly string[], fusionFile: string): ort.Tensor {
  const width = columns.length;
  if (!sequence || sequence.frames === 0) return new ort.Tensor('float32', new Float32Array(width), [1, 1, width]);
  if (sequence.dims !== width || sequence.names.some((name, i) => name !== columns[i])) {
    throw new SentiscopeError(
      'internal',
      `frame rows have columns [${sequence.names.join(', ')}] where the pack expects [${columns.join(', ')}].`,
      fusionFile,
    );
  }
  const data = Float32Array.from(sequence.data.subarray(0, sequence.frames * width));
  return new ort.Tensor('float32', data, [1, sequence.frames, width]);
}
