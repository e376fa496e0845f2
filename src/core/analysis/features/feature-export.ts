// Extracting a whole segment table into the files training reads (`sentiscope features`):
// rows.csv (ids, carried labels, presence and absence reasons), tokens.jsonl, one float32
// .npy matrix per feature (zeros where the modality is absent; presence.npy says which),
// and features.json (recipes, column names, counts). With `sequences`, also the ragged
// per-frame matrices the seed architectures read (frame-sequences.ts). See training/README.md.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCsv } from '../../../shared/csv';
import { SentiscopeError } from '../../../shared/errors';
import { MODALITIES, type Modality } from '../../../shared/domain';
import { encodeNpyFloat32, encodeNpyInt64Vector } from '../../io/npy';
import { acousticFeatureNames } from '../acoustic';
import { LEXICON_FEATURE_NAMES } from '../text';
import { type SegmentFeatureExtractor, type SegmentFeatures, VISUAL_FRAME_NAMES, VISUAL_STATISTICS_NAMES } from './segment-features';
import { raggedFrames } from './frame-sequences';
import type { SegmentTable } from './segment-table';

export const FEATURES_FORMAT = 'sentiscope-features';
export const FEATURES_FORMAT_VERSION = 1;

export interface FeatureProgress {
  done: number;
  total: number;
  present: Record<Modality, number>;
}

export interface FeatureExportSummary {
  rows: number;
  present: Record<Modality, number>;
  /** modality -> absence reason -> rows. */
  absent: Record<Modality, Record<string, number>>;
  files: string[];
}

/**
 * Extracts every row with up to `jobs` rows in flight (ffmpeg runs in its own process, so
 * two rows overlap decode and inference), keeping row order, then writes the files.
 */
export async function exportSegmentFeatures(
  table: SegmentTable,
  extractor: SegmentFeatureExtractor,
  outDir: string,
  options: {
    jobs?: number;
    onProgress?: (progress: FeatureProgress) => void;
    /** Also write audio_frames.npy / visual_frames.npy and their offsets. */
    sequences?: boolean;
  } = {},
): Promise<FeatureExportSummary> {
  const sequences = options.sequences ?? false;
  const jobs = Math.max(1, Math.floor(options.jobs ?? 2));
  const results: SegmentFeatures[] = new Array(table.rows.length);
  const present: Record<Modality, number> = { text: 0, audio: 0, visual: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < table.rows.length) {
      const i = next++;
      const row = table.rows[i];
      try {
        results[i] = await extractor.extract(row.source, { frames: sequences });
      } catch (err) {
        if (err instanceof SentiscopeError) {
          throw new SentiscopeError(err.code, `${table.file} line ${row.line}: ${err.message}`, err.file ?? table.file);
        }
        throw err;
      }
      for (const m of MODALITIES) if (results[i][m]) present[m]++;
      done++;
      options.onProgress?.({ done, total: table.rows.length, present: { ...present } });
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, table.rows.length) }, worker));
  return writeFeatureFiles(table, extractor, results, outDir, sequences);
}

async function writeFeatureFiles(
  table: SegmentTable,
  extractor: SegmentFeatureExtractor,
  results: SegmentFeatures[],
  outDir: string,
  sequences: boolean,
): Promise<FeatureExportSummary> {
  const n = results.length;
  const audioNames = extractor.audioStatisticsNames;
  const lexicon = new Float32Array(n * LEXICON_FEATURE_NAMES.length);
  const audio = new Float32Array(n * audioNames.length);
  const visual = new Float32Array(n * VISUAL_STATISTICS_NAMES.length);
  const presence = new Float32Array(n * MODALITIES.length);
  const present: Record<Modality, number> = { text: 0, audio: 0, visual: 0 };
  const absent: Record<Modality, Record<string, number>> = { text: {}, audio: {}, visual: {} };
  const csvRows: string[][] = [];
  const tokenLines: string[] = [];

  results.forEach((r, i) => {
    if (r.text) lexicon.set(r.text.lexicon, i * LEXICON_FEATURE_NAMES.length);
    if (r.audio) audio.set(r.audio.statistics, i * audioNames.length);
    if (r.visual) visual.set(r.visual.statistics, i * VISUAL_STATISTICS_NAMES.length);
    MODALITIES.forEach((m, k) => {
      if (r[m]) {
        presence[i * MODALITIES.length + k] = 1;
        present[m]++;
      } else {
        const reason = r.absent[m] ?? 'absent';
        absent[m][reason] = (absent[m][reason] ?? 0) + 1;
      }
    });
    tokenLines.push(JSON.stringify(r.text?.tokens ?? []));
    const row = table.rows[i];
    csvRows.push([
      ...row.ids,
      ...row.carried,
      ...MODALITIES.map((m) => (r[m] ? '1' : '0')),
      ...MODALITIES.map((m) => (r[m] ? '' : (r.absent[m] ?? 'absent'))),
    ]);
  });

  const header = [
    ...table.idColumns,
    ...table.carriedColumns,
    ...MODALITIES.map((m) => `present_${m}`),
    ...MODALITIES.map((m) => `absent_${m}`),
  ];
  const frames = sequences ? frameSequenceFiles(extractor, results) : null;
  const description = {
    format: FEATURES_FORMAT,
    formatVersion: FEATURES_FORMAT_VERSION,
    input: table.file,
    base: table.base,
    rows: n,
    present,
    absent,
    modalities: MODALITIES,
    recipes: { text: extractor.textRecipe, audio: extractor.acousticRecipe, visual: extractor.visualRecipe },
    columns: {
      rows: header,
      lexicon: [...LEXICON_FEATURE_NAMES],
      audio_statistics: audioNames,
      visual_statistics: VISUAL_STATISTICS_NAMES,
      presence: [...MODALITIES],
      ...frames?.columns,
    },
    files: {
      rows: 'rows.csv',
      tokens: 'tokens.jsonl',
      lexicon: 'lexicon.npy',
      audio_statistics: 'audio_statistics.npy',
      visual_statistics: 'visual_statistics.npy',
      presence: 'presence.npy',
      ...frames?.files,
    },
    ...(frames ? { sequences: frames.sequences } : {}),
  };

  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new SentiscopeError(
      'file-unreadable',
      `${outDir} cannot be created (${(err as NodeJS.ErrnoException).code}): give a writable folder for --out`,
      outDir,
    );
  }
  const files: [string, string | Buffer][] = [
    ['rows.csv', formatCsv(header, csvRows)],
    ['tokens.jsonl', tokenLines.length ? tokenLines.join('\n') + '\n' : ''],
    ['lexicon.npy', encodeNpyFloat32(lexicon, n, LEXICON_FEATURE_NAMES.length)],
    ['audio_statistics.npy', encodeNpyFloat32(audio, n, audioNames.length)],
    ['visual_statistics.npy', encodeNpyFloat32(visual, n, VISUAL_STATISTICS_NAMES.length)],
    ['presence.npy', encodeNpyFloat32(presence, n, MODALITIES.length)],
    ...(frames?.contents ?? []),
    ['features.json', JSON.stringify(description, null, 2) + '\n'],
  ];
  for (const [name, content] of files) {
    const path = join(outDir, name);
    try {
      await writeFile(path, content);
    } catch (err) {
      throw new SentiscopeError(
        'file-unreadable',
        `${path} cannot be written (${(err as NodeJS.ErrnoException).code}): check that --out is writable`,
        path,
      );
    }
  }
  return { rows: n, present, absent, files: files.map(([name]) => join(outDir, name)) };
}

/** The ragged frame files of `--sequences` and what features.json says about them. */
function frameSequenceFiles(extractor: SegmentFeatureExtractor, results: SegmentFeatures[]) {
  const audioFrameNames = acousticFeatureNames(extractor.acousticRecipe);
  const audio = raggedFrames(results, 'audio', audioFrameNames.length);
  const visual = raggedFrames(results, 'visual', VISUAL_FRAME_NAMES.length);
  const contents: [string, Buffer][] = [
    ['audio_frames.npy', encodeNpyFloat32(audio.data, audio.total, audio.dims)],
    ['audio_frame_offsets.npy', encodeNpyInt64Vector(audio.offsets)],
    ['visual_frames.npy', encodeNpyFloat32(visual.data, visual.total, visual.dims)],
    ['visual_frame_offsets.npy', encodeNpyInt64Vector(visual.offsets)],
  ];
  return {
    contents,
    columns: { audio_frames: audioFrameNames, visual_frames: VISUAL_FRAME_NAMES },
    files: Object.fromEntries(contents.map(([name]) => [name.replace(/\.npy$/, ''), name])),
    // Audio: one frame per hop (snip-edges: frame t covers [t*hop, t*hop + frameLength)
    // from the range's start); visual: sampleFrames at the recipe's fps (a still: one frame).
    // The recipes themselves are features.json's `recipes`.
    sequences: {
      audio: { frames: audio.total, framesPerSecond: 1000 / extractor.acousticRecipe.hopMs },
      visual: { frames: visual.total, framesPerSecond: extractor.visualRecipe.fps },
    },
  };
}
