// `sentiscope predict`: a CSV of segments in, a CSV of predictions out
// (ARCHITECTURE "CLI"). The input is checked whole first ([Note: segment table]); rows
// are then extracted, predicted and written one at a time, so memory stays flat however
// long the batch. One bad media file never ends the batch: its modality is absent in that
// row's prediction. The output is written beside OUT and renamed into place at the end,
// so an interrupted run never leaves a half file that looks complete.
//
// [Note: predict output]
// Columns: the id columns, then pred_score (the score head, in the pack's scoreRange),
// pred_label (the class with the highest probability: the pack's classification head, so
// it always agrees with p_*; near 0 it may disagree in sign with pred_score), p_negative,
// p_neutral, p_positive, contrib_text, contrib_audio, contrib_visual (Shapley values of
// pred_score; empty where the modality is absent), then the input's other columns.
// Numbers are written with 4 decimals.
//
// With a shard (`--shard K/N`) only rows i with i mod N = K are predicted, into
// OUT.partial (appended row by row, so a re-run resumes after the last complete row),
// renamed to OUT at the end; OUT.shard.json says which shard of which input it is
// ([Note: shard manifest]).

import { fixedDecimals } from '../../shared/fixed-decimals';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatCsvCell } from '../../shared/csv';
import { SentiscopeError } from '../../shared/errors';
import { readSegmentTable } from '../analysis/features/segment-table';
import type { Device, ExecutionProvider, ProviderFallback } from './execution-providers';
import { FusionRunner } from './fusion-runner';
import { PackFeatureReader } from './pack-features';
import { MODALITIES, type Modality } from './manifest';
import { type ModelPack, resolveModelPack } from './pack-loader';
import { type SegmentPrediction, predictWithContributions } from './shapley';
import { resumeCsvRows } from '../shards/csv-resume';
import { type ShardManifest, fileDigest, newManifest, readManifest, sameShardRun, writeManifest } from '../shards/shard-manifest';
import { type ShardSpec, formatShard, shardItems } from '../shards/shard-spec';

export const PREDICTION_COLUMNS = [
  'pred_score',
  'pred_label',
  'p_negative',
  'p_neutral',
  'p_positive',
  'contrib_text',
  'contrib_audio',
  'contrib_visual',
  // Language of the text ([Note: language detection]); 1/0 per present modality for "outside
  // the training data", empty where absent or the pack has no such check.
  'language',
  'ood_text',
  'ood_audio',
  'ood_visual',
] as const;

export interface BatchPredictOptions {
  input: string;
  output: string;
  /** Folder media paths are relative to; default the input file's folder. */
  base?: string;
  /** Pack id (resources/models) or folder; default the default pack. */
  model?: string;
  device?: Device;
  threads?: number;
  /** Predict only this shard's rows, with a manifest beside OUT, resuming an earlier run of it. */
  shard?: ShardSpec;
  /** Progress and notes, one line each (the CLI prints them on stderr). */
  onNote?: (line: string) => void;
  /** Called once the pack is loaded and the session open, before any row. */
  onStart?: (info: { pack: ModelPack; provider: ExecutionProvider; fallbacks: ProviderFallback[]; rows: number }) => void;
}

export interface BatchPredictReport {
  /** Rows in the output (a shard's share of the input). */
  rows: number;
  /** Of those, rows an earlier run of the same shard had already written. */
  resumed: number;
  /** Rows where a modality the row gave turned out absent (no audio, no face, ...). */
  rowsWithAbsence: number;
  model: { id: string; version: string };
  /** Null when nothing was left to predict (a finished shard run again). */
  provider: ExecutionProvider | null;
  fallbacks: ProviderFallback[];
  output: string;
}

const number = (v: number) => fixedDecimals(v, 4);

/** The prediction cells of one row, in PREDICTION_COLUMNS order. */
export function predictionCells(prediction: SegmentPrediction, classes: readonly string[]): string[] {
  const p = prediction.probabilities;
  const best = p.indexOf(Math.max(...p));
  const contribution = (m: Modality) => {
    const c = prediction.contributions[m];
    return c === null ? '' : number(c);
  };
  const flag = (m: Modality) => {
    const f = prediction.outOfRange?.[m];
    return f === undefined ? '' : f ? '1' : '0';
  };
  return [
    number(prediction.score),
    classes[best],
    number(p[0]),
    number(p[1]),
    number(p[2]),
    ...MODALITIES.map(contribution),
    prediction.language ?? '',
    ...MODALITIES.map(flag),
  ];
}

export async function predictCsv(options: BatchPredictOptions): Promise<BatchPredictReport> {
  const note = options.onNote ?? (() => {});
  const output = resolve(options.output);
  if (output === resolve(options.input)) {
    throw new SentiscopeError('bad-request', `--out ${output} is the input file: write the predictions to another file.`, output);
  }
  const input = await readSegmentTable(options.input, { base: options.base, reserved: PREDICTION_COLUMNS, command: 'predict' });
  const pack = await resolveModelPack(options.model);
  const { manifest } = pack;
  const shard = options.shard;
  const rows = shardItems(input.rows, shard);
  const header = [...input.idColumns, ...PREDICTION_COLUMNS, ...input.carriedColumns];
  let sidecar: ShardManifest | null = null;
  let resumed = 0;
  if (shard) {
    sidecar = newManifest({
      command: 'predict',
      output: 'csv',
      input: basename(input.file),
      input_digest: await fileDigest(input.file),
      input_items: input.rows.length,
      k: shard.index,
      n: shard.count,
      pack_id: manifest.id,
      pack_version: manifest.version,
      items: rows.length,
    });
    const earlier = await readManifest(output);
    if (earlier && sameShardRun(earlier, sidecar) && earlier.complete && existsSync(output)) {
      note(`shard ${formatShard(shard)}: all ${rows.length} rows already in ${output}`);
      return {
        rows: rows.length,
        resumed: rows.length,
        rowsWithAbsence: 0,
        model: { id: manifest.id, version: manifest.version },
        provider: null,
        fallbacks: [],
        output,
      };
    }
    await mkdir(dirname(output), { recursive: true });
    const partial = `${output}.partial`;
    if (earlier && sameShardRun(earlier, sidecar)) {
      if (!existsSync(partial) && existsSync(output)) await rename(output, partial);
      resumed = await resumeCsvRows(
        partial,
        header,
        rows.map((r) => r.ids),
      );
    } else {
      await rm(partial, { force: true });
      resumed = await resumeCsvRows(partial, header, []);
    }
    await writeManifest(output, sidecar);
    if (resumed) note(`shard ${formatShard(shard)}: resuming after ${resumed} of ${rows.length} rows already written`);
  }
  const runner = await FusionRunner.create(pack, { device: options.device, threads: options.threads });
  options.onStart?.({ pack, provider: runner.provider, fallbacks: runner.fallbacks, rows: rows.length });

  const unused = input.modalities.filter((m) => !manifest.modalities.includes(m));
  if (unused.length) note(`model ${manifest.id} does not read ${unused.join(' or ')}; those columns are ignored`);
  const reader = await PackFeatureReader.open(runner, { device: options.device, threads: options.threads });

  await mkdir(dirname(output), { recursive: true });
  // A shard appends to its partial file (kept when interrupted); a whole run writes a temporary.
  const temporary = shard ? `${output}.partial` : join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
  const stream = createWriteStream(temporary, { encoding: 'utf8', flags: shard ? 'a' : 'w' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  const write = async (cells: readonly string[]) => {
    if (!stream.write(cells.map(formatCsvCell).join(',') + '\n')) {
      await Promise.race([new Promise<void>((r) => stream.once('drain', () => r())), failed]);
    }
  };

  let rowsWithAbsence = 0;
  let noted = 0;
  try {
    if (!shard) await write(header);
    for (const row of rows.slice(resumed)) {
      // Only what the pack reads is extracted: a text-only pack never decodes video.
      const source = reader.sourceFor(row.source);
      const features = await reader.read(source);
      const taking = runner.presentModalities(features);
      const missing = MODALITIES.filter((m) => source[m] != null && !taking.includes(m));
      if (missing.length) {
        rowsWithAbsence++;
        if (noted++ < 20) {
          note(
            `line ${row.line} (${row.ids.join(' ')}): ${missing.map((m) => `${m} absent (${features.absent[m] ?? (features[m] ? 'no frames' : 'unknown')})`).join(', ')}`,
          );
        }
      }
      const prediction = await predictWithContributions(runner, features);
      await write([...row.ids, ...predictionCells(prediction, manifest.output.classes), ...row.carried]);
    }
    await new Promise<void>((done, reject) => {
      stream.once('error', reject);
      stream.end(done);
    });
    await rename(temporary, output);
    if (sidecar) await writeManifest(output, { ...sidecar, complete: true });
  } catch (err) {
    stream.destroy();
    if (!shard) await rm(temporary, { force: true });
    if (err instanceof Error && 'code' in err && !(err instanceof SentiscopeError)) {
      throw new SentiscopeError(
        'file-unreadable',
        `${output} cannot be written (${(err as NodeJS.ErrnoException).code}): check the folder and its permissions.`,
        output,
      );
    }
    throw err;
  } finally {
    await reader.close();
  }
  if (noted > 20) note(`... and ${noted - 20} more rows with an absent modality`);
  return {
    rows: rows.length,
    resumed,
    rowsWithAbsence,
    model: { id: manifest.id, version: manifest.version },
    provider: runner.provider,
    fallbacks: runner.fallbacks,
    output,
  };
}
