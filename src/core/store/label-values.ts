// The checks a label and an adjudication share: who gave it (a name, never blank) and its
// value columns (MOSI scores within -3..3, MVSA polarities or empty), in one place so the
// two tables can never accept different values.

import { POLARITIES, type MosiLabelValues, type MvsaLabelValues, type Polarity } from '../../shared/domain';
import type { StoreContext } from './store-context';

const MOSI_MIN = -3;
const MOSI_MAX = 3;

/** The value columns of both tables, as the upserts name them. */
export type ValueColumns = Record<
  'mosiScore' | 'mosiText' | 'mosiAudio' | 'mosiVisual' | 'mvsaText' | 'mvsaImage' | 'mvsaPair',
  number | Polarity | null
>;

const EMPTY: ValueColumns = {
  mosiScore: null,
  mosiText: null,
  mosiAudio: null,
  mosiVisual: null,
  mvsaText: null,
  mvsaImage: null,
  mvsaPair: null,
};

/** A trimmed name; `missing` is the message when there is none. */
export function requiredName(ctx: StoreContext, name: unknown, missing: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') throw ctx.badInput(missing);
  return trimmed;
}

function checkMosiValue(ctx: StoreContext, name: string, v: number | null, required: boolean): void {
  if (v === null && !required) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < MOSI_MIN || v > MOSI_MAX) {
    throw ctx.badInput(`MOSI ${name} must be a number from ${MOSI_MIN} to ${MOSI_MAX} (got ${v})`);
  }
}

function checkPolarity(ctx: StoreContext, name: string, v: Polarity | null): void {
  if (v !== null && !POLARITIES.includes(v)) {
    throw ctx.badInput(`MVSA ${name} label must be one of ${POLARITIES.join(', ')} or empty (got ${v})`);
  }
}

/** Every value column of a MOSI label (or adjudication), checked; the MVSA ones empty. */
export function mosiColumns(ctx: StoreContext, v: MosiLabelValues): ValueColumns {
  checkMosiValue(ctx, 'score', v.score, true);
  checkMosiValue(ctx, 'text score', v.text ?? null, false);
  checkMosiValue(ctx, 'audio score', v.audio ?? null, false);
  checkMosiValue(ctx, 'visual score', v.visual ?? null, false);
  return { ...EMPTY, mosiScore: v.score, mosiText: v.text ?? null, mosiAudio: v.audio ?? null, mosiVisual: v.visual ?? null };
}

/** Every value column of an MVSA label (or adjudication), checked; the MOSI ones empty. */
export function mvsaColumns(ctx: StoreContext, v: MvsaLabelValues): ValueColumns {
  checkPolarity(ctx, 'text', v.text ?? null);
  checkPolarity(ctx, 'image', v.image ?? null);
  checkPolarity(ctx, 'pair', v.pair ?? null);
  return { ...EMPTY, mvsaText: v.text ?? null, mvsaImage: v.image ?? null, mvsaPair: v.pair ?? null };
}
