// Reading the gold and prediction files that `sentiscope eval` compares.
// Rows are matched by id: an `id` column, or `video_id` + `clip_id` (MMSA's key).
// Gold: `label` (a MOSI score, or an MVSA polarity). Predictions: `pred_score` /
// `pred_label` as `sentiscope predict` writes them, else `label`.

import type { Polarity } from '../../shared/domain';
import { parsePolarity } from '../../shared/schemes/mvsa';
import { isValidScore } from '../../shared/schemes/mosi';
import { FileProblems, columnIndex, parseNumberCell, readCsvTable } from './file-problems';

export type EvalScheme = 'mosi' | 'mvsa';
export type EvalValue<S extends EvalScheme> = S extends 'mosi' ? number : Polarity;

/** id -> value; rows whose value cell is empty are left out (unlabelled, e.g. a withheld test split). */
export function readEvalValues<S extends EvalScheme>(
  text: string,
  file: string,
  scheme: S,
  valueColumns: readonly string[],
): Map<string, EvalValue<S>> {
  const table = readCsvTable(text, file);
  const problems = new FileProblems(file, 'bad-csv', 'Fix the file and run eval again.');
  const index = columnIndex(table.header, problems);
  const idColumns = index.has('id') ? ['id'] : index.has('video_id') && index.has('clip_id') ? ['video_id', 'clip_id'] : null;
  if (!idColumns) problems.add(1, 'no id column: give `id`, or `video_id` and `clip_id`');
  const valueColumn = valueColumns.find((c) => index.has(c));
  if (!valueColumn) problems.add(1, `no ${valueColumns.map((c) => `\`${c}\``).join(' or ')} column`);
  problems.throwIfAny();

  const values = new Map<string, EvalValue<S>>();
  for (const row of table.rows) {
    const cell = (name: string) => (row.cells[index.get(name)!] ?? '').trim();
    const id = idColumns!.map(cell).join('$_$');
    const raw = cell(valueColumn!);
    if (values.has(id)) problems.add(row.line, `id ${id} appears twice`);
    if (raw === '') continue;
    if (scheme === 'mosi') {
      const score = parseNumberCell(raw);
      if (score === undefined || !isValidScore(score)) problems.add(row.line, `${valueColumn} "${raw}" is not a score in [-3, 3]`);
      else values.set(id, score as EvalValue<S>);
    } else {
      const polarity = parsePolarity(raw);
      if (!polarity) problems.add(row.line, `${valueColumn} "${raw}" is not positive, neutral or negative`);
      else values.set(id, polarity as EvalValue<S>);
    }
  }
  problems.throwIfAny();
  return values;
}
