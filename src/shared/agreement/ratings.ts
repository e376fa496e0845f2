// A ratings table: one row per item (a segment), one column per annotator, null where
// that annotator did not rate the item. The agreement statistics all read this shape.

export type Rating<V> = V | null;
export type RatingTable<V> = Rating<V>[][];

/** Items every annotator rated (what ICC and Fleiss' kappa are defined on). */
export function completeItems<V>(table: RatingTable<V>): V[][] {
  return table.filter((row) => row.length > 0 && row.every((v) => v !== null)) as V[][];
}

/** The values of one item that some annotator gave. */
export function presentValues<V>(row: Rating<V>[]): V[] {
  return row.filter((v): v is V => v !== null);
}

/** Items at least two annotators rated: the only ones that say anything about agreement. */
export function pairableCount<V>(table: RatingTable<V>): number {
  return table.filter((row) => presentValues(row).length >= 2).length;
}

/** Only the columns named (by index), e.g. one pair of annotators. */
export function columns<V>(table: RatingTable<V>, keep: readonly number[]): RatingTable<V> {
  return table.map((row) => keep.map((k) => row[k]));
}
