// Merging `features --shard` folders into exactly the folder one unsharded run writes:
// every per-row unit (a rows.csv row, a tokens.jsonl line, a matrix row, a row's frames)
// back in input order, the frame offsets and features.json's counts recomputed from the
// merged rows, every file byte for byte what `features` without --shard writes.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCsv } from '../../shared/csv';
import { SentiscopeError } from '../../shared/errors';
import { MODALITIES, type Modality } from '../../shared/domain';
import { readCsvTable } from '../io/file-problems';
import { decodeNpyFloat32, decodeNpyInt64Vector, encodeNpyFloat32, encodeNpyInt64Vector } from '../io/npy';
import { type ShardOutput, interleave } from './shard-set';
import { shardError } from './shard-spec';

interface FeaturesJson {
  rows: number;
  present: Record<Modality, number>;
  absent: Record<Modality, Record<string, number>>;
  columns: Record<string, string[]>;
  files: Record<string, string>;
  sequences?: Record<'audio' | 'visual', { frames: number; framesPerSecond: number }>;
}

/** The fields of features.json that differ between shards of one run; the rest must agree. */
const COUNTS = { rows: 0, present: null, absent: null, sequences: null };

const MATRICES = ['lexicon', 'audio_statistics', 'visual_statistics', 'presence'] as const;
const SEQUENCES = ['audio', 'visual'] as const;

/** One shard folder as per-row units, in the shard's row order. */
interface ShardRows {
  description: FeaturesJson;
  header: string[];
  csv: string[][];
  tokens: string[];
  matrices: Record<string, { cols: number; rows: Float32Array[] }>;
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw shardError(file, `cannot be read (${(err as NodeJS.ErrnoException).code}): run the shard again`);
  }
}

function matrixRows(bytes: Buffer, file: string, rows: number) {
  const m = decodeNpyFloat32(bytes, file);
  if (m.rows !== rows) throw shardError(file, `has ${m.rows} rows, rows.csv has ${rows}: run the shard again`);
  return { cols: m.cols, rows: Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols)) };
}

async function readShardRows(s: ShardOutput): Promise<ShardRows> {
  const dir = s.file;
  const description = JSON.parse((await readBytes(join(dir, 'features.json'))).toString('utf8')) as FeaturesJson;
  const table = readCsvTable((await readBytes(join(dir, 'rows.csv'))).toString('utf8'), join(dir, 'rows.csv'));
  const n = table.rows.length;
  if (n !== s.manifest.items || description.rows !== n) {
    throw shardError(dir, `has ${n} rows, its manifest says ${s.manifest.items}: run shard ${s.manifest.k}/${s.manifest.n} again`);
  }
  const tokenText = (await readBytes(join(dir, 'tokens.jsonl'))).toString('utf8');
  const tokens = tokenText ? tokenText.replace(/\n$/, '').split('\n') : [];
  if (tokens.length !== n)
    throw shardError(join(dir, 'tokens.jsonl'), `has ${tokens.length} lines, rows.csv has ${n}: run the shard again`);
  const matrices: ShardRows['matrices'] = {};
  for (const name of MATRICES) matrices[name] = matrixRows(await readBytes(join(dir, `${name}.npy`)), join(dir, `${name}.npy`), n);
  if (description.sequences) {
    for (const m of SEQUENCES) {
      const framesFile = join(dir, `${m}_frames.npy`);
      const offsetsFile = join(dir, `${m}_frame_offsets.npy`);
      const offsets = decodeNpyInt64Vector(await readBytes(offsetsFile), offsetsFile);
      const frames = decodeNpyFloat32(await readBytes(framesFile), framesFile);
      if (offsets.length !== n + 1 || offsets[n] !== frames.rows)
        throw shardError(offsetsFile, `does not match ${framesFile}: run the shard again`);
      const d = frames.cols;
      matrices[`${m}_frames`] = {
        cols: d,
        rows: Array.from({ length: n }, (_, i) => frames.data.subarray(offsets[i] * d, offsets[i + 1] * d)),
      };
    }
  }
  return { description, header: table.header, csv: table.rows.map((r) => r.cells), tokens, matrices };
}

function concatRows(rows: readonly Float32Array[], cols: number): Buffer {
  const total = rows.reduce((sum, r) => sum + r.length, 0);
  const data = new Float32Array(total);
  let at = 0;
  for (const r of rows) {
    data.set(r, at);
    at += r.length;
  }
  return encodeNpyFloat32(data, total / cols, cols);
}

export async function mergeFeatureShards(shards: readonly ShardOutput[], outDir: string): Promise<number> {
  const parts: ShardRows[] = [];
  for (const s of shards) {
    const part = await readShardRows(s);
    const first = parts[0];
    if (first && JSON.stringify({ ...first.description, ...COUNTS }) !== JSON.stringify({ ...part.description, ...COUNTS })) {
      throw shardError(s.file, `has other columns, recipes or input than ${shards[0].file}: give the shards of one run`);
    }
    parts.push(part);
  }
  const total = shards[0].manifest.input_items;
  const merged = <T>(of: (p: ShardRows) => readonly T[]) => interleave(parts.map(of), total);
  const header = parts[0].header;
  const csv = merged((p) => p.csv);

  // Counts as exportSegmentFeatures makes them, row by row in input order (absence reasons keep their first-seen order).
  const present: Record<Modality, number> = { text: 0, audio: 0, visual: 0 };
  const absent: Record<Modality, Record<string, number>> = { text: {}, audio: {}, visual: {} };
  for (const cells of csv) {
    for (const m of MODALITIES) {
      if (cells[header.indexOf(`present_${m}`)] === '1') present[m]++;
      else {
        const reason = cells[header.indexOf(`absent_${m}`)];
        absent[m][reason] = (absent[m][reason] ?? 0) + 1;
      }
    }
  }
  const description: FeaturesJson = { ...parts[0].description, rows: csv.length, present, absent };
  const tokens = merged((p) => p.tokens);
  const files: [string, string | Buffer][] = [
    ['rows.csv', formatCsv(header, csv)],
    ['tokens.jsonl', tokens.length ? tokens.join('\n') + '\n' : ''],
  ];
  for (const name of MATRICES)
    files.push([
      `${name}.npy`,
      concatRows(
        merged((p) => p.matrices[name].rows),
        parts[0].matrices[name].cols,
      ),
    ]);
  if (description.sequences) {
    const sequences = { ...description.sequences };
    for (const m of SEQUENCES) {
      const rows = merged((p) => p.matrices[`${m}_frames`].rows);
      const cols = parts[0].matrices[`${m}_frames`].cols;
      const offsets = [0];
      for (const r of rows) offsets.push(offsets[offsets.length - 1] + r.length / cols);
      files.push([`${m}_frames.npy`, concatRows(rows, cols)], [`${m}_frame_offsets.npy`, encodeNpyInt64Vector(offsets)]);
      sequences[m] = { ...sequences[m], frames: offsets[offsets.length - 1] };
    }
    description.sequences = sequences;
  }
  files.push(['features.json', JSON.stringify(description, null, 2) + '\n']);
  try {
    await mkdir(outDir, { recursive: true });
    for (const [name, content] of files) await writeFile(join(outDir, name), content);
  } catch (err) {
    throw new SentiscopeError(
      'file-unreadable',
      `${outDir} cannot be written (${(err as NodeJS.ErrnoException).code}): give a writable folder for --out`,
      outDir,
    );
  }
  return csv.length;
}
