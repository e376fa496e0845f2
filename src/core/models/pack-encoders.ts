// The encoder plug-ins a model pack names (inputs.<modality>.encoder, [Note: model pack]),
// checked when the pack loads: the manifest's entry is well formed, and its folder exists,
// holds every file the encoder will read, is of the family and modality the pack names and
// gives embeddings as wide as the fusion input. Only the folder inspector is imported here
// (it reads config.json and checks files); @huggingface/transformers loads later, and only
// for a pack that names an encoder (encoder-features.ts).

import { join, resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { type EncoderFolder, type EncoderModality, inspectEncoderFolder } from '../plugins/encoder-folder';
import { encoderModalities } from './feature-columns';
import { type EncoderPlugin, MODALITIES, type Modality, type ModelPackManifest } from './manifest';

/** A pack's encoder, resolved and checked. */
export interface PackEncoder {
  modality: Modality;
  /** Absolute encoder folder. */
  dir: string;
  family: string;
  dims: number;
  pooling: 'mean' | 'cls';
  folder: EncoderFolder;
}

/** The plug-in modality a pack modality reads through. */
export const ENCODER_MODALITY: Readonly<Record<Modality, EncoderModality>> = { text: 'text', audio: 'audio', visual: 'image' };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Problems with the encoder entries of a parsed manifest, without touching the file system. */
export function encoderEntryProblems(m: ModelPackManifest): string[] {
  const problems: string[] = [];
  const inputs = m.inputs as unknown;
  if (!isObject(inputs) || !Array.isArray(m.fusion?.inputs)) return problems;
  const reads = encoderModalities(m.fusion.inputs.filter(isObject) as { feature: string }[]);
  for (const modality of MODALITIES) {
    const section = inputs[modality];
    const entry = isObject(section) ? section.encoder : undefined;
    const where = `"inputs.${modality}.encoder"`;
    if (entry === undefined) {
      if (reads.includes(modality)) problems.push(`a fusion input reads ${modality}.encoder, but ${where} is missing`);
      continue;
    }
    if (!reads.includes(modality)) problems.push(`${where} is given, but no fusion input reads ${modality}.encoder`);
    if (!isObject(entry)) {
      problems.push(`${where} must be an object (folder, family, dims)`);
      continue;
    }
    if (typeof entry.folder !== 'string' || entry.folder === '')
      problems.push(`${where}.folder must name the encoder folder (relative to the pack folder, or absolute)`);
    if (typeof entry.family !== 'string' || entry.family === '')
      problems.push(`${where}.family must name the model family (config.json model_type, e.g. "bert")`);
    if (!Number.isInteger(entry.dims) || (entry.dims as number) < 1)
      problems.push(`${where}.dims must be a positive integer (the embedding length)`);
    if (entry.pooling !== undefined && entry.pooling !== 'mean' && entry.pooling !== 'cls')
      problems.push(`${where}.pooling must be "mean" or "cls"`);
    if (entry.pooling !== undefined && modality !== 'text') problems.push(`${where}.pooling applies to text encoders only`);
  }
  // The tensor carries exactly the encoder's embedding.
  for (const spec of m.fusion.inputs) {
    if (!isObject(spec) || typeof spec.feature !== 'string' || !spec.feature.endsWith('.encoder')) continue;
    const modality = spec.feature.slice(0, -'.encoder'.length) as Modality;
    const entry = (inputs[modality] as { encoder?: EncoderPlugin } | undefined)?.encoder;
    const width = Array.isArray(spec.shape) ? spec.shape[1] : undefined;
    if (entry && Number.isInteger(entry.dims) && width !== entry.dims) {
      problems.push(
        `fusion input "${spec.name}" (${spec.feature}) has width ${JSON.stringify(width)}, but "inputs.${modality}.encoder.dims" is ${entry.dims}: they must be equal`,
      );
    }
  }
  return problems;
}

/** Embedding length the encoder in `folder` gives, read from its config.json as the plug-ins do. */
export function encoderDims(folder: EncoderFolder): number {
  const c = folder.config;
  if (folder.modality === 'image') return c.projection_dim ?? c.vision_config?.projection_dim ?? 0;
  if (folder.modality === 'text' && folder.task === 'text-classification') return Object.keys(c.id2label ?? {}).length;
  return c.hidden_size ?? c.dim ?? 0;
}

/**
 * The pack's encoders with their folders inspected. Throws SentiscopeError naming the
 * missing file, or manifest.json when the folder is not the encoder the manifest describes.
 */
export function resolvePackEncoders(manifest: ModelPackManifest, packDir: string, manifestFile: string): PackEncoder[] {
  const encoders: PackEncoder[] = [];
  for (const modality of encoderModalities(manifest.fusion.inputs)) {
    const entry = manifest.inputs[modality]!.encoder!;
    const dir = resolve(packDir, entry.folder);
    let folder: EncoderFolder;
    try {
      folder = inspectEncoderFolder(dir);
    } catch (err) {
      if (!(err instanceof SentiscopeError)) throw err;
      throw new SentiscopeError(
        err.code,
        `Model pack ${packDir}: the ${modality} encoder "${entry.folder}" named in ${manifestFile} cannot be used: ${err.message}`,
        err.file ?? dir,
      );
    }
    const refuse = (why: string) =>
      new SentiscopeError(
        'bad-model',
        `Model pack ${manifestFile}: "inputs.${modality}.encoder" ${why}. Fix the manifest or the encoder folder.`,
        manifestFile,
      );
    if (folder.modality !== ENCODER_MODALITY[modality]) {
      throw refuse(
        `names ${dir}, a ${folder.family} (${folder.modality}) model; ${modality} needs a ${ENCODER_MODALITY[modality]} encoder`,
      );
    }
    if (folder.family !== entry.family)
      throw refuse(`says family "${entry.family}", but ${join(dir, 'config.json')} is a ${folder.family} model`);
    const dims = encoderDims(folder);
    if (dims !== entry.dims) throw refuse(`says dims ${entry.dims}, but the encoder in ${dir} gives ${dims}-value embeddings`);
    encoders.push({ modality, dir, family: folder.family, dims, pooling: entry.pooling ?? 'mean', folder });
  }
  return encoders;
}
