// MVSA labels: text and image are labelled apart; the post (pair) label follows the
// MultiSentiNet merge rule (Xu & Mao 2017), as ARCHITECTURE.md states it.

import { POLARITIES, type Polarity } from '../domain';

export interface MvsaMerge {
  /** The pair label; null when there is none (a conflict, or neither side labelled). */
  label: Polarity | null;
  /** Positive against negative: the post is left out of the pair export. */
  conflict: boolean;
}

/**
 * agree -> that label; one side neutral -> the other side; positive vs negative ->
 * no label and a conflict. A side not labelled yet (null) defers to the other side,
 * so a post labelled on one side only still gets a pair label; both null -> null.
 */
export function mergeMvsa(text: Polarity | null, image: Polarity | null): MvsaMerge {
  if (text === null) return { label: image, conflict: false };
  if (image === null) return { label: text, conflict: false };
  if (text === image) return { label: text, conflict: false };
  if (text === 'neutral') return { label: image, conflict: false };
  if (image === 'neutral') return { label: text, conflict: false };
  return { label: null, conflict: true };
}

export function isPolarity(value: unknown): value is Polarity {
  return typeof value === 'string' && (POLARITIES as readonly string[]).includes(value);
}

/** Reads a polarity case-insensitively ("Positive", " NEGATIVE "); undefined when it is none. */
export function parsePolarity(cell: string): Polarity | undefined {
  const lower = cell.trim().toLowerCase();
  return isPolarity(lower) ? lower : undefined;
}
