// Split names as files write them. MMSA's label.csv says "valid" where CMU-MOSI and
// many exports say "dev" (or "val"): all three read as 'valid', and 'valid' is written.

import type { Split } from '../../shared/domain';

/** '' -> null; train/valid/test/dev/val (any case) -> Split; anything else -> undefined. */
export function parseSplit(cell: string): Split | null | undefined {
  const value = cell.trim().toLowerCase();
  if (value === '') return null;
  if (value === 'train' || value === 'test' || value === 'valid') return value;
  if (value === 'dev' || value === 'val') return 'valid';
  return undefined;
}
