// `sentiscope refit --in LABELS.csv`: learns a refit head (refit-head.ts) from the user's
// labels on top of a frozen pack and installs the result as a user pack. The labels are
// checked whole first, every row's features are computed exactly as `predict` computes
// them (PackFeatureReader), the head is cross-validated against the source pack, and
// nothing is installed when it does not beat the source on the held-out folds (unless
// forced). The new pack is the source's files, a derived manifest, refit.json and a
// model card, staged and checked like any added pack ([Note: staged install], packInstall).

import { cp, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import type { SegmentSource } from '../analysis/features/segment-features';
import { type SegmentTable, type SegmentTableRow, readSegmentTable } from '../analysis/features/segment-table';
import { FileProblems } from '../io/file-problems';
import { PREDICTION_COLUMNS } from './batch-predict';
import type { Device } from './execution-providers';
import { FusionRunner } from './fusion-runner';
import type { Modality, ModelPackManifest } from './manifest';
import { PackFeatureReader } from './pack-features';
import { RefitFeatureCache } from './refit-feature-cache';
import { type ModelPack, resolveModelPack } from './pack-loader';
import { type CrossValidation, type LearningCurve, type RefitRow, crossValidate, fitRefitHead, learningCurve } from './refit-fit';
import { refitVector } from './refit-head';
import { ORIGIN_FILE, installNew } from './staged-install';
import { type ModelRoots, SAFE_ID, folderWithId, packInstall, requireAddedRoot } from './user-models';

export const CLASS_NAMES = ['negative', 'neutral', 'positive'] as const;
export const REFIT_HEAD_FILE = 'refit.json';

/** One human label and the segment it labels, from a CSV or a project. */
export interface LabelledSegment {
  source: SegmentSource;
  /** 0 negative, 1 neutral, 2 positive. */
  label: number;
  /** The score -3..+3, for score labels. */
  target: number | null;
  /** Folds never split a group (a speaker, a media item). */
  group: string;
  /** The media file it is cut from, for the model card's count. */
  media: string | null;
}

/** What a refit learns from, and where it came from (for the manifest and model card). */
export interface LabelSet {
  /** The labels file or project. */
  file: string;
  rows: LabelledSegment[];
  scores: boolean;
  /** Who labelled them, when known (a project). */
  annotators: string[] | null;
  /** How the labels were brought together (a project's consensus), when they were. */
  aggregation: string | null;
}

export type RefitStage = 'features' | 'cross-validation' | 'fit' | 'learning-curve' | 'install';

export interface RefitProgress {
  stage: RefitStage;
  /** Rows read (features) or folds started (cross-validation); 0 of 1 .. 1 of 1 for the other stages. */
  done: number;
  total: number;
}

/** Seconds per stage: what the refit benchmark prints. */
export type RefitTimings = Record<Exclude<RefitStage, 'install'> | 'total', number>;

export interface RefitOptions {
  /** Source pack: an id or folder as predict takes it; default the default pack. */
  model?: string;
  id: string;
  folds?: number;
  seed?: number;
  force?: boolean;
  device?: Device;
  threads?: number;
  /** Rows whose features are read at once (ffmpeg runs in its own process; default 3). */
  jobs?: number;
  roots: ModelRoots;
  /** The command line, for the manifest's training.command. */
  command?: string;
  onNote?: (line: string) => void;
  onProgress?: (progress: RefitProgress) => void;
  /** Aborting stops the refit at the next row or fold; nothing is installed. */
  signal?: AbortSignal;
  /** Where the rows' features are kept for the next refit (refit-feature-cache.ts); none: not kept. */
  cacheDir?: string;
}

export interface CsvRefitOptions extends RefitOptions {
  input: string;
  base?: string;
}

export interface RefitReport {
  id: string;
  installed: boolean;
  /** Why it was not installed; null when it was. */
  refused: string | null;
  dir: string | null;
  source: { id: string; version: string };
  labels: 'class' | 'score';
  rows: number;
  groups: number;
  classCounts: Record<string, number>;
  folds: number;
  seed: number;
  lambda: number;
  temperature: number;
  modalities: Modality[];
  crossValidation: CrossValidation;
  learningCurve: LearningCurve;
  timings: RefitTimings;
  /** Rows whose features came from the cache of an earlier refit. */
  cachedRows: number;
  seconds: number;
}

/** The label of every row, checked whole: refused naming the file and line. */
function readLabels(table: SegmentTable): LabelSet {
  const problems = new FileProblems(table.file, 'bad-file', 'Nothing was refit; fix these rows and run refit again.');
  const col = (name: string) => table.carriedColumns.indexOf(name);
  const labelAt = col('label');
  const classAt = col('label_class');
  const groupAt = col('group');
  if (labelAt < 0 && classAt < 0) {
    problems.add(1, 'the header needs a "label" column (score -3..+3) or a "label_class" column (negative, neutral, positive)');
    problems.throwIfAny();
  }
  const scores = labelAt >= 0;
  const media = (row: SegmentTableRow) => row.source.audio?.path ?? row.source.visual?.path ?? null;
  const rows = table.rows.map((row): LabelledSegment => {
    const group = groupAt >= 0 && row.carried[groupAt].trim() ? row.carried[groupAt].trim() : `row ${row.line}`;
    if (scores) {
      const cell = row.carried[labelAt].trim();
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value) || value < -3 || value > 3) {
        problems.add(row.line, `label "${cell}" is not a score from -3 to +3`);
        return { source: row.source, label: 1, target: 0, group, media: media(row) };
      }
      return { source: row.source, label: classOfScore(value), target: value, group, media: media(row) };
    }
    const cell = row.carried[classAt].trim().toLowerCase();
    const label = (CLASS_NAMES as readonly string[]).indexOf(cell);
    if (label < 0) problems.add(row.line, `label_class "${row.carried[classAt]}" is not negative, neutral or positive`);
    return { source: row.source, label: Math.max(0, label), target: null, group, media: media(row) };
  });
  problems.throwIfAny();
  return { file: table.file, rows, scores, annotators: null, aggregation: null };
}

/** MOSI's convention: < 0 negative, 0 neutral, > 0 positive. */
export function classOfScore(score: number): number {
  return score < 0 ? 0 : score > 0 ? 2 : 1;
}

export async function refuseTakenId(id: string, roots: ModelRoots, file: string): Promise<void> {
  if (!SAFE_ID.test(id)) {
    throw new SentiscopeError('bad-request', `--id "${id}" cannot name a folder: use letters, digits, ".", "-" and "_".`, file);
  }
  const taken = await folderWithId(id, roots);
  if (taken !== null) {
    throw new SentiscopeError(
      'bad-request',
      `A model with id "${id}" is already installed (${taken}). Pick another --id, or remove it first.`,
      taken,
    );
  }
}

/** `refit --in LABELS.csv`: the table checked whole, then refitFromLabels. */
export async function refitFromCsv(options: CsvRefitOptions): Promise<RefitReport> {
  checkFolds(options.folds);
  await refuseTakenId(options.id, options.roots, options.input);
  const table = await readSegmentTable(options.input, { base: options.base, reserved: PREDICTION_COLUMNS, command: 'refit' });
  return refitFromLabels(readLabels(table), options);
}

function checkFolds(folds = 5): void {
  if (!Number.isInteger(folds) || folds < 2)
    throw new SentiscopeError('bad-request', `--folds ${folds}: give a whole number of at least 2.`, null);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Features of every labelled row (up to `jobs` rows in flight, in row order), the source
 * pack's outputs on them, then cross-validation, the final head, the learning curve, and
 * the install when the refit beats its source.
 */
export async function refitFromLabels(set: LabelSet, options: RefitOptions): Promise<RefitReport> {
  const started = Date.now();
  const note = options.onNote ?? (() => {});
  const progress = options.onProgress ?? (() => {});
  const { signal } = options;
  checkFolds(options.folds);
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 13;
  await refuseTakenId(options.id, options.roots, set.file);
  const groups = new Set(set.rows.map((r) => r.group)).size;
  const usedFolds = Math.min(folds, groups);
  const classes = new Set(set.rows.map((r) => r.label));
  if (usedFolds < 2 || classes.size < 2) {
    throw new SentiscopeError(
      'bad-file',
      `${set.file}: ${set.rows.length} rows in ${groups} group(s) with ${classes.size} class(es) cannot be cross-validated: give rows of at least 2 groups and 2 classes.`,
      set.file,
    );
  }

  const pack = await resolveModelPack(options.model);
  const source = { id: pack.manifest.id, version: pack.manifest.version };
  if (pack.refit) {
    throw new SentiscopeError(
      'bad-request',
      `${pack.manifest.id} is itself a refit of ${pack.manifest.refit!.source.id}: refit from ${pack.manifest.refit!.source.id} (--from) with all the labels instead.`,
      pack.dir,
    );
  }
  const runner = await FusionRunner.create(pack, { device: options.device, threads: options.threads });
  const reader = await PackFeatureReader.open(runner, { device: options.device, threads: options.threads });
  const total = set.rows.length;
  const rows: RefitRow[] = new Array(total);
  const timings: RefitTimings = { features: 0, 'cross-validation': 0, fit: 0, 'learning-curve': 0, total: 0 };
  let at = Date.now();
  const lap = (stage: keyof RefitTimings) => {
    timings[stage] = (Date.now() - at) / 1000;
    at = Date.now();
  };
  const cache = await RefitFeatureCache.open(options.cacheDir, { ...source, dir: pack.dir });
  let cached = 0;
  progress({ stage: 'features', done: 0, total });
  try {
    // ffmpeg decodes in its own process: a few rows in flight keep both cores busy.
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < total) {
        signal?.throwIfAborted();
        const i = next++;
        const labelled = set.rows[i];
        const source = reader.sourceFor(labelled.source);
        const key = await cache.key(source);
        let computed = cache.get(key);
        if (computed) cached++;
        else {
          const features = await reader.read(source);
          const out = await runner.run(features);
          const vectors: Partial<Record<Modality, Float32Array>> = {};
          for (const m of runner.presentModalities(features)) {
            const v = refitVector(features, m);
            if (v) vectors[m] = v;
          }
          // log p is the pack's logits up to a constant, which softmax ignores.
          const logits = out.probabilities.map((p) => Math.log(Math.max(p, 1e-12))) as [number, number, number];
          computed = { logits, score: out.score, vectors };
          cache.set(key, computed);
        }
        rows[i] = { ...computed, label: labelled.label, target: labelled.target, group: labelled.group };
        done++;
        progress({ stage: 'features', done, total });
        if (done % 20 === 0 || done === total) note(`features ${done}/${total}`);
      }
    };
    const jobs = Math.max(1, Math.floor(options.jobs ?? 3));
    await Promise.all(Array.from({ length: Math.min(jobs, total) }, worker));
  } finally {
    await reader.close();
    // Also after a cancel or a failure: the rows read so far are not read again.
    await cache.save();
  }
  lap('features');

  const scores = set.scores;
  // Fitting is synchronous; a tick before each stage lets a cancel message in.
  await tick();
  signal?.throwIfAborted();
  const crossValidation = crossValidate(rows, {
    folds: usedFolds,
    scores,
    seed,
    source,
    onFold: (fold, of) => {
      progress({ stage: 'cross-validation', done: fold, total: of });
      note(`cross-validation fold ${fold}/${of}`);
    },
  });
  lap('cross-validation');
  await tick();
  signal?.throwIfAborted();
  progress({ stage: 'fit', done: 0, total: 1 });
  const { head, lambda } = fitRefitHead(rows, { scores, seed, source });
  lap('fit');
  await tick();
  signal?.throwIfAborted();
  progress({ stage: 'learning-curve', done: 0, total: 1 });
  const curve = learningCurve(rows, { folds: usedFolds, scores, seed, lambda, source });
  head.learningCurve = curve;
  lap('learning-curve');
  timings.total = (Date.now() - started) / 1000;
  const classCounts = Object.fromEntries(CLASS_NAMES.map((c, k) => [c, rows.filter((r) => r.label === k).length]));
  const report: RefitReport = {
    id: options.id,
    installed: false,
    refused: null,
    dir: null,
    source,
    labels: scores ? 'score' : 'class',
    rows: rows.length,
    groups,
    classCounts,
    folds: usedFolds,
    seed,
    lambda,
    temperature: head.temperature,
    modalities: Object.keys(head.modalities) as Modality[],
    crossValidation,
    learningCurve: curve,
    timings,
    cachedRows: cached,
    seconds: 0,
  };
  const { decision } = crossValidation;
  if (!decision.better && !options.force) {
    report.refused =
      `the refit is not better than ${source.id} on the held-out folds (${decision.metric} ${decision.before.toFixed(4)} before, ${decision.after.toFixed(4)} after): ` +
      'nothing was installed. Give more or cleaner labels, or --force to install it anyway.';
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  signal?.throwIfAborted();
  progress({ stage: 'install', done: 0, total: 1 });
  const when = new Date().toISOString();
  const manifest = derivedManifest(pack, options, report, set.file, when);
  const write = async (staging: string) => {
    await cp(pack.dir, staging, { recursive: true, force: true, filter: (src) => basename(src) !== ORIGIN_FILE });
    await writeFile(join(staging, REFIT_HEAD_FILE), JSON.stringify(head) + '\n');
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await writeFile(join(staging, 'MODEL_CARD.md'), modelCard(manifest, report, set, when));
  };
  const origin = { from: 'refit' as const, location: set.file, addedAt: when };
  const installed = await installNew(requireAddedRoot(options.roots), 'incoming', write, packInstall(options.roots, origin, options.id));
  report.installed = true;
  report.dir = installed.dir;
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function derivedManifest(pack: ModelPack, options: RefitOptions, report: RefitReport, file: string, when: string): ModelPackManifest {
  const m = pack.manifest;
  const { overall, decision } = report.crossValidation;
  return {
    ...m,
    id: options.id,
    version: '1.0.0',
    name: `${m.name}, refit on ${basename(file)}`,
    default: false,
    description: `${m.id}@${m.version} frozen, with a refit head (${REFIT_HEAD_FILE}) learnt by \`sentiscope refit\` from ${report.rows} labelled rows on ${when.slice(0, 10)}. See MODEL_CARD.md.`,
    refit: { file: REFIT_HEAD_FILE, source: report.source },
    training: {
      data: [{ name: basename(file), splits: ['user'], rows: report.rows, modalities: report.modalities, source: file }],
      command: options.command ?? `sentiscope refit --in ${file} --id ${options.id}`,
    },
    metrics: {
      ...m.metrics,
      'refit-cv-before': overall.before as unknown as Record<string, number>,
      'refit-cv-after': overall.after as unknown as Record<string, number>,
    },
    derivedFrom: [
      ...m.derivedFrom,
      {
        name: `${m.id}@${m.version} (refit source, ${decision.metric} ${decision.before.toFixed(4)} -> ${decision.after.toFixed(4)})`,
        license: m.license,
        source: 'sentiscope refit',
      },
    ],
  };
}

function modelCard(manifest: ModelPackManifest, report: RefitReport, set: LabelSet, when: string): string {
  const media = new Set(set.rows.map((r) => r.media).filter((m) => m !== null)).size;
  const curve = report.learningCurve.points.map(
    (p) => `| ${p.labels} (${Math.round(p.fraction * 100)} %) | ${p.before.toFixed(4)} | ${p.after.toFixed(4)} |`,
  );
  const fmt = (metrics: object) =>
    Object.entries(metrics)
      .map(([k, v]) => `${k} ${Number(v).toFixed(4)}`)
      .join(', ');
  const folds = report.crossValidation.folds.map((f) => `| ${f.fold} | ${f.rows} | ${f.groups} | ${fmt(f.before)} | ${fmt(f.after)} |`);
  return [
    `# ${manifest.id}`,
    '',
    `A refit of **${report.source.id}@${report.source.version}** (kept frozen) by \`sentiscope refit\` on ${when}.`,
    `A linear head per modality (${report.modalities.join(', ')}) on its standardized feature vector adds offsets to the source's`,
    `logits${report.labels === 'score' ? ' and score' : ''}; L2 strength ${report.lambda} (inner cross-validation), temperature ${report.temperature.toFixed(2)}.`,
    '',
    '## Data it saw',
    '',
    `- File: ${set.file}`,
    `- Labels: ${report.labels === 'score' ? 'scores -3..+3' : 'classes'}${set.aggregation ? ` (${set.aggregation})` : ''}; ${report.rows} rows in ${report.groups} groups`,
    `- Per class: ${CLASS_NAMES.map((c) => `${c} ${report.classCounts[c]}`).join(', ')}`,
    `- Media: ${media} file(s)`,
    `- Annotators: ${set.annotators ? set.annotators.join(', ') || 'none named' : 'not recorded (a labels file)'}`,
    `- Date: ${when.slice(0, 10)}`,
    `- Command: \`${manifest.training.command}\``,
    '',
    `## Cross-validation (${report.folds} folds grouped by \`group\`, seed ${report.seed})`,
    '',
    '| fold | rows | groups | before | after |',
    '| --- | --- | --- | --- | --- |',
    ...folds,
    `| all | ${report.rows} | ${report.groups} | ${fmt(report.crossValidation.overall.before)} | ${fmt(report.crossValidation.overall.after)} |`,
    '',
    `## Learning curve (${report.learningCurve.metric} on the held-out folds, L2 strength ${report.learningCurve.lambda})`,
    '',
    '| labels per fold | source | refit |',
    '| --- | --- | --- |',
    ...curve,
    '',
    'The labels come from one user: the numbers say how the head does on held-out groups of that data, not elsewhere.',
    '',
  ].join('\n');
}
