// Merging `predict --shard` CSVs into exactly the CSV one unsharded run writes: the same
// header, the rows back in input order, canonical CSV.

import { formatCsv, type CsvTable } from '../../shared/csv';
import { readCsvTable } from '../io/file-problems';
import { readTextFile, writeTextFileAtomic } from '../io/text-file';
import { type ShardOutput, interleave } from './shard-set';
import { shardError } from './shard-spec';

export async function mergeCsvShards(shards: readonly ShardOutput[], out: string): Promise<number> {
  const tables: CsvTable[] = [];
  for (const s of shards) {
    const table = readCsvTable(await readTextFile(s.file), s.file);
    if (table.rows.length !== s.manifest.items) {
      throw shardError(
        s.file,
        `has ${table.rows.length} rows, its manifest says ${s.manifest.items}: run shard ${s.manifest.k}/${s.manifest.n} again`,
      );
    }
    const header = tables[0]?.header;
    if (header && (header.length !== table.header.length || header.some((h, i) => h !== table.header[i]))) {
      throw shardError(s.file, `has other columns than ${shards[0].file}: give the shards of one run`);
    }
    tables.push(table);
  }
  const rows = interleave(
    tables.map((t) => t.rows.map((r) => r.cells)),
    shards[0].manifest.input_items,
  );
  await writeTextFileAtomic(out, formatCsv(tables[0].header, rows));
  return rows.length;
}
