// MVSA posts CSV (text + image tweets), read and written as text.
//
// Two layouts are read; columns are found by name, in any order:
// - the export layout `id,text,image,text_label,image_label,label[,split]`;
// - the simpler `id,text,image,label[,split]` of ../shared/data/mvsa/posts.csv, where
//   only the post's label is known: it is kept as `pairLabel`, and the text and image
//   labels stay null (unknown), not copied from it.
// `id`, `text`, `image` are required columns; `id` is required and unique per row;
// `image` may be empty (a text-only post). Labels are positive/neutral/negative in any
// case, or empty. When a row gives both side labels AND a label, the label must follow
// the merge rule (an empty label where the sides conflict): a file that says otherwise
// is refused rather than silently re-labelled. split: train/valid/test; dev/val -> valid.
// Other columns are kept verbatim in `extras`.
//
// Writing: `id,text,image,text_label,image_label,label`, then `split` when any post
// has one, then extras. `label` is the merge of the side labels when either side is
// labelled, else the given pair label. Posts whose sides conflict are left out and
// counted (ExportReport.skippedConflicts). Labels are written lower-case.

import type { Polarity, Split } from '../../shared/domain';
import { formatCsv } from '../../shared/csv';
import { mergeMvsa, parsePolarity } from '../../shared/schemes/mvsa';
import { FileProblems, columnIndex, readCsvTable } from './file-problems';
import { parseSplit } from './splits';

export interface MvsaRow {
  id: string;
  text: string;
  /** Image path as the file gives it (relative to the CSV's folder, usually); '' for none. */
  image: string;
  textLabel: Polarity | null;
  imageLabel: Polarity | null;
  /** The post's label as given by the file; null when it gave none. */
  pairLabel: Polarity | null;
  split: Split | null;
  extras: Record<string, string>;
}

export const MVSA_COLUMNS = ['id', 'text', 'image', 'text_label', 'image_label', 'label'] as const;
const KNOWN = new Set<string>([...MVSA_COLUMNS, 'split']);
const REQUIRED = ['id', 'text', 'image'] as const;

export function parseMvsaCsv(text: string, file: string): MvsaRow[] {
  const table = readCsvTable(text, file);
  const problems = new FileProblems(file);
  const header = table.header.map((h) => h.trim());
  const index = columnIndex(header, problems);
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    problems.add(
      1,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; an MVSA file needs id,text,image and label or text_label,image_label`,
    );
  }
  if (!index.has('label') && !index.has('text_label') && !index.has('image_label')) {
    problems.add(1, 'no label column: expected label, or text_label and image_label');
  }
  problems.throwIfAny();
  const extraNames = header.filter((h) => !KNOWN.has(h));
  const seen = new Map<string, number>();
  const rows: MvsaRow[] = [];

  for (const { line, cells } of table.rows) {
    const cell = (name: string) => {
      const i = index.get(name);
      return i === undefined ? '' : cells[i];
    };
    const polarity = (name: string): Polarity | null => {
      const raw = cell(name);
      if (raw.trim() === '') return null;
      const value = parsePolarity(raw);
      if (value === undefined) {
        problems.add(line, `${name} "${raw}" is not positive, neutral or negative`);
        return null;
      }
      return value;
    };

    const id = cell('id').trim();
    if (id === '') problems.add(line, 'id is empty');
    else {
      const first = seen.get(id);
      if (first !== undefined) problems.add(line, `id ${id} already appears on line ${first}`);
      else seen.set(id, line);
    }

    const textLabel = polarity('text_label');
    const imageLabel = polarity('image_label');
    const pairLabel = polarity('label');
    if (textLabel !== null && imageLabel !== null) {
      const merged = mergeMvsa(textLabel, imageLabel);
      if (pairLabel !== null && pairLabel !== merged.label) {
        problems.add(
          line,
          merged.conflict
            ? `label is ${pairLabel} but text ${textLabel} and image ${imageLabel} conflict (leave label empty)`
            : `label is ${pairLabel} but text ${textLabel} and image ${imageLabel} merge to ${merged.label}`,
        );
      }
    }

    const split = parseSplit(cell('split'));
    if (split === undefined) problems.add(line, `split "${cell('split')}" is not train, valid or test`);

    const extras: Record<string, string> = {};
    for (const name of extraNames) extras[name] = cell(name);
    rows.push({
      id,
      text: cell('text'),
      image: cell('image').trim(),
      textLabel,
      imageLabel,
      pairLabel,
      split: split ?? null,
      extras,
    });
  }
  problems.throwIfAny();
  return rows;
}

/** The label a post is exported with; conflict when its sides disagree outright. */
export function mvsaExportLabel(row: MvsaRow): { label: Polarity | null; conflict: boolean } {
  if (row.textLabel === null && row.imageLabel === null) return { label: row.pairLabel, conflict: false };
  return mergeMvsa(row.textLabel, row.imageLabel);
}

export interface MvsaExport {
  text: string;
  /** Posts written. */
  rows: number;
  /** Posts left out because text and image labels conflict. */
  skippedConflicts: number;
}

export function formatMvsaCsv(rows: readonly MvsaRow[]): MvsaExport {
  const kept = rows.map((row) => ({ row, merged: mvsaExportLabel(row) })).filter(({ merged }) => !merged.conflict);
  const hasSplit = kept.some(({ row }) => row.split !== null);
  const extraNames: string[] = [];
  for (const { row } of kept) {
    for (const name of Object.keys(row.extras)) {
      if (KNOWN.has(name)) throw new RangeError(`formatMvsaCsv: extra column "${name}" clashes with a known column`);
      if (!extraNames.includes(name)) extraNames.push(name);
    }
  }
  const header = [...MVSA_COLUMNS, ...(hasSplit ? ['split'] : []), ...extraNames];
  const body = kept.map(({ row, merged }) => [
    row.id,
    row.text,
    row.image,
    row.textLabel ?? '',
    row.imageLabel ?? '',
    merged.label ?? '',
    ...(hasSplit ? [row.split ?? ''] : []),
    ...extraNames.map((name) => row.extras[name] ?? ''),
  ]);
  return { text: formatCsv(header, body), rows: kept.length, skippedConflicts: rows.length - kept.length };
}
