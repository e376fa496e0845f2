// A small predict input for the shard tests: MOSI dev transcripts, one with the MOSI clip
// (video + audio), one with the MOSI wav, and a carried cell with a comma, a quote and a
// line break, so a merge has to get CSV quoting and row order exactly right.

import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatCsv, parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, MOSI_WAV } from './generate-media';

export const TINY_PACK = resolve('tests/fixtures/packs/tiny-late-fusion');

export async function writeShardInput(dir: string, textRows = 8, name = 'segments.csv'): Promise<string> {
  const { header, rows } = parseCsv(readFileSync(resolve('../shared/data/mosi/segments.csv'), 'utf8'));
  const col = (c: string) => header.indexOf(c);
  const dev = rows
    .map((r) => r.cells)
    .filter((c) => c[col('split')] === 'dev' && c[col('text')])
    .slice(0, textRows);
  const out = dev.map((c, i) => [
    c[col('video_id')],
    c[col('clip_id')],
    c[col('text')],
    i === 1 ? MOSI_CLIP : i === 2 ? MOSI_WAV : '',
    c[col('label')],
    i === 3 ? 'said "fine",\nthen left' : 'kept',
  ]);
  const path = join(dir, name);
  await writeFile(path, formatCsv(['video_id', 'clip_id', 'text', 'audio', 'label', 'note'], out));
  return path;
}
