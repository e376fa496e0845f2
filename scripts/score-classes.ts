// Balanced accuracy, accuracy and macro F1 of a `predict` output's pred_label against the
// label_class column of its input (rows matched by id): how the README's refit numbers
// were measured. Usage: npx tsx scripts/score-classes.ts LABELS.csv PREDICTIONS.csv
import { readFileSync } from 'node:fs';
import { parseCsv } from '../src/shared/csv';
import { classMetrics } from '../src/core/models/refit-fit';

const [labelsFile, predictionsFile] = process.argv.slice(2);
const column = (file: string, name: string) => {
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'));
  const id = header.indexOf('id');
  const at = header.indexOf(name);
  if (id < 0 || at < 0) throw new Error(`${file} needs the columns id and ${name}`);
  return new Map(rows.map((r) => [r.cells[id], r.cells[at]]));
};
const gold = column(labelsFile, 'label_class');
const predicted = column(predictionsFile, 'pred_label');
const ids = [...gold.keys()].filter((id) => predicted.has(id));
console.log(
  JSON.stringify({
    rows: ids.length,
    ...classMetrics(
      ids.map((id) => gold.get(id)!),
      ids.map((id) => predicted.get(id)!),
    ),
  }),
);
