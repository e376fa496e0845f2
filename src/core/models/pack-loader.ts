// Finding and loading model packs (resources/models/<id>/manifest.json, or any folder).
// A pack is checked whole before anything runs: the manifest's shape, every file it names,
// each modality's feature recipe against what this build computes, and its tensor specs
// against the extractors' columns. Any difference refuses the pack with a message naming
// the file, what differs and what to do ([Note: model pack] in manifest.ts).

import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentiscopeError } from '../../shared/errors';
import { DEFAULT_ACOUSTIC_RECIPE, acousticRecipeProblems, describeRecipeMismatch } from '../analysis/acoustic';
import { DEFAULT_VISUAL_RECIPE, describeVisualRecipeMismatch } from '../analysis/face';
import { builtTextRecipe, vocabularyFromList } from '../analysis/text';
import { FEATURE_KINDS, isEncoderFeature, isTensorFeature } from './feature-columns';
import {
  MODALITIES,
  MODEL_PACK_FORMAT,
  MODEL_PACK_FORMAT_VERSION,
  type Modality,
  type ModelPackManifest,
  type TensorSpec,
} from './manifest';
import { type PackEncoder, encoderEntryProblems, resolvePackEncoders } from './pack-encoders';
import { type RefitHead, loadRefitHead } from './refit-head';

export interface ModelPack {
  manifest: ModelPackManifest;
  /** Absolute folder holding manifest.json. */
  dir: string;
  /** Absolute path of the fusion ONNX file. */
  fusionFile: string;
  /** token -> id ([Note: token ids]); null when the pack reads no token ids. */
  vocabulary: Map<string, number> | null;
  /** The encoder plug-ins the pack reads through, folders checked; empty for most packs. */
  encoders: PackEncoder[];
  /** The head `sentiscope refit` learnt on top of the fusion model; null for other packs. */
  refit: RefitHead | null;
}

export interface ModelPackListing {
  /** The folder name (the manifest's id once loaded). */
  id: string;
  dir: string;
  /** null when the pack was refused. */
  pack: ModelPack | null;
  error: SentiscopeError | null;
}

/**
 * resources/models, found by walking up from this module (source tree, bundled out/main,
 * tests) and then from the working directory; SENTISCOPE_MODELS overrides it.
 */
export function defaultModelsDir(): string {
  if (process.env.SENTISCOPE_MODELS) return resolve(process.env.SENTISCOPE_MODELS);
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, 'resources', 'models');
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return resolve(process.cwd(), 'resources', 'models');
}

// ---------------------------------------------------------------------------------------
// Manifest shape

type Problems = string[];
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

// The shared describer compares leaves with Object.is: spell arrays out as "negators.0", ...
function indexArrays(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), indexArrays(v)]));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, indexArrays(v)]));
  return value;
}

/** Differences between a pack's text recipe and this build's; null when they match. */
export function describeTextRecipeMismatch(
  expected: unknown,
  actual: unknown = builtTextRecipe(isObject(expected) && isObject(expected.tokenizer) ? expected.tokenizer.version : undefined),
): string | null {
  return describeRecipeMismatch(indexArrays(expected), indexArrays(actual));
}

function checkTopLevel(m: Record<string, unknown>, problems: Problems): void {
  for (const key of ['id', 'version', 'name', 'architecture', 'description', 'license'] as const) {
    if (!isString(m[key])) problems.push(`"${key}" must be a non-empty string`);
  }
  if (m.default !== undefined && typeof m.default !== 'boolean') problems.push('"default" must be true or false');
  if (!Array.isArray(m.modalities) || m.modalities.length === 0 || !m.modalities.every((x) => MODALITIES.includes(x as Modality))) {
    problems.push(`"modalities" must list some of ${MODALITIES.join(', ')}`);
  } else if (new Set(m.modalities).size !== m.modalities.length) {
    problems.push('"modalities" lists a modality twice');
  }
  const output = m.output;
  if (!isObject(output)) problems.push('"output" is missing');
  else {
    const range = output.scoreRange;
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
      problems.push('"output.scoreRange" must be [low, high] with low < high');
    }
    if (JSON.stringify(output.classes) !== JSON.stringify(['negative', 'neutral', 'positive'])) {
      problems.push('"output.classes" must be ["negative", "neutral", "positive"]');
    }
  }
  if (!isObject(m.training) || !Array.isArray(m.training.data) || typeof m.training.command !== 'string') {
    problems.push('"training" must give "data" (a list) and "command"');
  }
  if (!isObject(m.metrics)) problems.push('"metrics" must be an object (split -> metric -> value)');
  if (!Array.isArray(m.derivedFrom)) problems.push('"derivedFrom" must be a list (name, license, source)');
}

function checkRecipes(m: ModelPackManifest, problems: Problems): void {
  const inputs = m.inputs as unknown;
  if (!isObject(inputs)) {
    problems.push('"inputs" is missing');
    return;
  }
  for (const key of Object.keys(inputs)) {
    if (!MODALITIES.includes(key as Modality)) problems.push(`"inputs.${key}" is not a modality`);
  }
  for (const modality of m.modalities) {
    if (!isObject(inputs[modality]) || !isObject((inputs[modality] as Record<string, unknown>).recipe)) {
      problems.push(`"inputs.${modality}.recipe" is missing, but the pack reads ${modality}`);
    }
  }
  if (m.inputs.text?.recipe) {
    const diff = describeTextRecipeMismatch(m.inputs.text.recipe);
    if (diff) problems.push(`text recipe differs: ${diff}`);
  }
  const languages = m.inputs.text?.languages;
  if (languages !== undefined && (!isStringArray(languages) || !languages.length || !languages.every((l) => /^[a-z]{2,3}$/.test(l)))) {
    problems.push('"inputs.text.languages" must list ISO 639-1 codes such as "en", "zh"');
  }
  if (m.inputs.audio?.recipe) {
    const unsupported = acousticRecipeProblems(m.inputs.audio.recipe);
    const diff = describeRecipeMismatch(m.inputs.audio.recipe, DEFAULT_ACOUSTIC_RECIPE);
    if (diff) problems.push(`acoustic recipe differs: ${diff}`);
    else if (unsupported.length) problems.push(`acoustic recipe: ${unsupported.join('; ')}`);
  }
  if (m.inputs.visual?.recipe) {
    const diff = describeVisualRecipeMismatch(m.inputs.visual.recipe, DEFAULT_VISUAL_RECIPE);
    if (diff) problems.push(`visual recipe differs: ${diff}`);
  }
}

function checkTensor(spec: TensorSpec, m: ModelPackManifest, problems: Problems): void {
  const where = `fusion input "${spec.name}"`;
  if (!isTensorFeature(spec.feature)) {
    problems.push(
      `${where} has feature kind ${JSON.stringify(spec.feature)}, which this build does not know (known: ${Object.keys(FEATURE_KINDS).join(', ')})`,
    );
    return;
  }
  const kind = FEATURE_KINDS[spec.feature];
  if (kind.unsupported) problems.push(`${where} (${spec.feature}): ${kind.unsupported}`);
  if (kind.modality && !m.modalities.includes(kind.modality)) {
    problems.push(`${where} reads ${spec.feature}, but "modalities" does not list ${kind.modality}`);
  }
  if (spec.dtype !== kind.dtype) problems.push(`${where} (${spec.feature}) must be ${kind.dtype}, not ${JSON.stringify(spec.dtype)}`);
  const shape = spec.shape as unknown;
  if (!Array.isArray(shape) || shape.length !== kind.rank || !shape.every((d) => (Number.isInteger(d) && d > 0) || isString(d))) {
    problems.push(`${where} (${spec.feature}) must have ${kind.rank} dimensions (sizes or axis names), not ${JSON.stringify(shape)}`);
    return;
  }
  if (shape[0] !== 1 && typeof shape[0] !== 'string')
    problems.push(`${where} has batch size ${shape[0]}; the runtime feeds one segment at a time`);
  // The width of an encoder embedding is the encoder's dims (encoderEntryProblems).
  if (isEncoderFeature(spec.feature) && typeof shape[1] !== 'number') {
    problems.push(`${where} (${spec.feature}) must have a fixed width (the encoder's dims), not ${JSON.stringify(shape[1])}`);
  }
  if (kind.columns) {
    // The presence mask's order is fixed (MODALITIES); a pack may leave it unsaid.
    if (spec.columns === undefined) {
      if (spec.feature !== 'presence') problems.push(`${where} (${spec.feature}) must list its "columns"`);
    } else if (!isStringArray(spec.columns)) problems.push(`${where} "columns" must be a list of names`);
    else {
      const diff = describeColumns(spec.columns, kind.columns);
      if (diff) problems.push(`${where} (${spec.feature}) columns differ from what this build computes: ${diff}`);
    }
    const width = shape[shape.length - 1];
    if (width !== kind.columns.length) {
      problems.push(
        `${where} (${spec.feature}) has width ${JSON.stringify(width)} (its last dimension); this build computes ${kind.columns.length} columns`,
      );
    }
  }
  // A segment's frame count is whatever its media gives at the recipe's rate: the frames
  // axis must be dynamic (pooling to a fixed length belongs inside the graph).
  if (kind.rank === 3 && typeof shape[1] !== 'string') {
    problems.push(
      `${where} (${spec.feature}) has a fixed frames axis ${JSON.stringify(shape[1])}; it must be a named dynamic axis (e.g. "${spec.feature.replace('.', '_')}"), since the runtime feeds every frame of the segment`,
    );
  }
  if (spec.feature === 'text.token_ids') {
    const text = m.inputs.text;
    if (!text?.vocabulary) problems.push(`${where} reads token ids, but "inputs.text.vocabulary" is missing`);
    if (!Number.isInteger(text?.maxTokens) || (text?.maxTokens ?? 0) < 1)
      problems.push(`${where} reads token ids, but "inputs.text.maxTokens" is not a positive integer`);
    else if (typeof shape[1] === 'number' && shape[1] !== text!.maxTokens) {
      problems.push(`${where} has ${shape[1]} tokens but "inputs.text.maxTokens" is ${text!.maxTokens}`);
    }
  }
}

function describeColumns(expected: readonly string[], actual: readonly string[]): string | null {
  if (expected.length !== actual.length) {
    const missing = actual.filter((c) => !expected.includes(c)).slice(0, 5);
    const extra = expected.filter((c) => !actual.includes(c)).slice(0, 5);
    return (
      `pack lists ${expected.length}, this build computes ${actual.length}` +
      (missing.length ? `; not in the pack: ${missing.join(', ')}` : '') +
      (extra.length ? `; unknown here: ${extra.join(', ')}` : '')
    );
  }
  const at = expected.findIndex((c, i) => c !== actual[i]);
  return at < 0 ? null : `column ${at} is "${expected[at]}" in the pack, "${actual[at]}" here`;
}

function checkFusion(m: ModelPackManifest, problems: Problems): void {
  const fusion = m.fusion as unknown;
  if (!isObject(fusion) || !isString(fusion.file) || !Array.isArray(fusion.inputs) || !isObject(fusion.outputs)) {
    problems.push('"fusion" must give "file", "inputs" (tensor specs) and "outputs"');
    return;
  }
  const outputs = fusion.outputs;
  if (!isString(outputs.score) || !isString(outputs.logits)) problems.push('"fusion.outputs" must name the "score" and "logits" tensors');
  if (outputs.ood !== undefined && !isString(outputs.ood)) problems.push('"fusion.outputs.ood" must name a tensor');
  if (outputs.gates !== undefined && (!isObject(outputs.gates) || !Object.values(outputs.gates).every(isString))) {
    problems.push('"fusion.outputs.gates" must map gate names to tensor names');
  }
  const names = new Set<string>();
  const features = new Set<string>();
  for (const spec of m.fusion.inputs) {
    if (!isObject(spec) || !isString(spec.name)) {
      problems.push('every fusion input needs a "name"');
      continue;
    }
    if (names.has(spec.name)) problems.push(`fusion input "${spec.name}" is listed twice`);
    if (features.has(spec.feature)) problems.push(`two fusion inputs carry ${spec.feature}`);
    names.add(spec.name);
    features.add(spec.feature);
    checkTensor(spec, m, problems);
  }
  problems.push(...encoderEntryProblems(m));
  if (!features.has('presence'))
    problems.push('the fusion model takes no "presence" input, so absent modalities cannot be told apart from zeros');
  for (const modality of m.modalities) {
    if (![...features].some((f) => isTensorFeature(f) && FEATURE_KINDS[f].modality === modality)) {
      problems.push(`the pack reads ${modality}, but no fusion input carries a ${modality} feature`);
    }
  }
}

/** Every problem with a parsed manifest, without touching the file system. */
export function manifestProblems(value: unknown): string[] {
  if (!isObject(value)) return ['manifest.json does not hold a JSON object'];
  const problems: Problems = [];
  if (value.format !== MODEL_PACK_FORMAT) {
    return [`"format" is ${JSON.stringify(value.format)}, not "${MODEL_PACK_FORMAT}"`];
  }
  if (value.formatVersion !== MODEL_PACK_FORMAT_VERSION) {
    return [`"formatVersion" is ${JSON.stringify(value.formatVersion)}; this build reads version ${MODEL_PACK_FORMAT_VERSION}`];
  }
  checkTopLevel(value, problems);
  if (problems.length) return problems;
  const m = value as unknown as ModelPackManifest;
  checkRecipes(m, problems);
  checkFusion(m, problems);
  return problems;
}

// ---------------------------------------------------------------------------------------
// Loading

async function readManifestJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SentiscopeError(
      code === 'ENOENT' ? 'file-missing' : 'file-unreadable',
      `${file}: ${code === 'ENOENT' ? 'no manifest.json' : (err as Error).message}. A model pack folder holds manifest.json beside its .onnx files; give the pack's folder or id.`,
      file,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SentiscopeError('bad-model', `${file} is not valid JSON (${(err as Error).message}). Reinstall the model pack.`, file);
  }
}

function requireFile(dir: string, relative: string, role: string, manifestFile: string): string {
  const path = resolve(dir, relative);
  let ok = false;
  try {
    ok = statSync(path).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new SentiscopeError(
      'file-missing',
      `Model pack ${dir} is missing its ${role} ${relative} (named in ${manifestFile}). Reinstall or rebuild the pack (see its manifest's training.command).`,
      path,
    );
  }
  return path;
}

async function readVocabulary(path: string): Promise<Map<string, number>> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0 || lines.some((t) => t === '')) {
    throw new SentiscopeError('bad-model', `${path}: the vocabulary must list one token a line, none empty. Rebuild the pack.`, path);
  }
  return vocabularyFromList(lines);
}

/** Loads and checks the pack in `dir`; throws SentiscopeError naming what is wrong. */
export async function loadModelPack(dir: string): Promise<ModelPack> {
  const folder = resolve(dir);
  const manifestFile = join(folder, 'manifest.json');
  const value = await readManifestJson(manifestFile);
  const problems = manifestProblems(value);
  if (problems.length) {
    throw new SentiscopeError(
      'bad-model',
      `Model pack ${manifestFile} cannot run on this build: ${problems.join('; ')}. ` +
        'Use a pack built for this version of Sentiscope (or rebuild it with its training.command).',
      manifestFile,
    );
  }
  const manifest = value as ModelPackManifest;
  const fusionFile = requireFile(folder, manifest.fusion.file, 'fusion model', manifestFile);
  const reads = manifest.fusion.inputs.some((s) => s.feature === 'text.token_ids');
  let vocabulary: Map<string, number> | null = null;
  if (reads && manifest.inputs.text?.vocabulary) {
    vocabulary = await readVocabulary(requireFile(folder, manifest.inputs.text.vocabulary, 'vocabulary', manifestFile));
  }
  const encoders = resolvePackEncoders(manifest, folder, manifestFile);
  const refit = manifest.refit ? await loadRefitHead(requireFile(folder, manifest.refit.file, 'refit head', manifestFile), manifest) : null;
  return { manifest, dir: folder, fusionFile, vocabulary, encoders, refit };
}

/** The folder's manifest format, or null when it has no readable manifest.json. */
async function manifestFormat(dir: string): Promise<unknown> {
  try {
    const value = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as unknown;
    return isObject(value) ? value.format : undefined;
  } catch {
    return null;
  }
}

/**
 * Every pack folder under `root` (default resources/models), sorted by id, each loaded or
 * with the error that refused it. Folders whose manifest is not a model pack's (the face
 * models in resources/models/face) are not packs and are skipped, and so are folders
 * whose name starts with a dot (a pack half-copied into the per-user models folder).
 */
export async function listModelPacks(root: string = defaultModelsDir()): Promise<ModelPackListing[]> {
  let entries: string[];
  try {
    // Dot folders are work in progress (a pack being added or downloaded, or removed).
    entries = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch {
    return [];
  }
  const listings: ModelPackListing[] = [];
  for (const name of entries.sort()) {
    const dir = join(root, name);
    if ((await manifestFormat(dir)) !== MODEL_PACK_FORMAT) continue;
    try {
      const pack = await loadModelPack(dir);
      listings.push({ id: pack.manifest.id, dir, pack, error: null });
    } catch (err) {
      if (!(err instanceof SentiscopeError)) throw err;
      listings.push({ id: name, dir, pack: null, error: err });
    }
  }
  return listings.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The pack `spec` names: a folder path (anything with a path separator, or an existing
 * folder), else a pack id under `root`. Without `spec`: the pack marked "default", else
 * the first loadable one by id.
 */
export async function resolveModelPack(spec?: string, root: string = defaultModelsDir()): Promise<ModelPack> {
  if (spec !== undefined && spec !== '') {
    const looksLikePath = /[\\/]/.test(spec) || spec.startsWith('.');
    if (looksLikePath || (existsSync(spec) && statSync(spec).isDirectory())) return loadModelPack(spec);
    const listings = await listModelPacks(root);
    const found = listings.find((l) => l.id === spec);
    if (!found) {
      const ids = listings.map((l) => l.id);
      throw new SentiscopeError(
        'not-found',
        `No model pack "${spec}" in ${root} (installed: ${ids.length ? ids.join(', ') : 'none'}). Give an installed id or the path of a pack folder.`,
        root,
      );
    }
    if (found.error) throw found.error;
    return found.pack!;
  }
  const listings = await listModelPacks(root);
  const usable = listings.filter((l) => l.pack);
  const chosen = usable.find((l) => l.pack!.manifest.default === true) ?? usable[0];
  if (!chosen) {
    const refused = listings.map((l) => `${l.id}: ${l.error!.message}`);
    throw new SentiscopeError(
      'not-found',
      `No usable model pack in ${root}${refused.length ? ` (${refused.join('; ')})` : ''}. Install a pack there, or pass --model with a pack folder.`,
      root,
    );
  }
  return chosen.pack!;
}
