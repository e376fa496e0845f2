// Segment rows: time spans of a media item, with their transcript text.

import type { Segment, SegmentSource, Split, WordTiming } from '../../shared/domain';
import { toSegment, type SegmentRow } from './row-mappers';
import type { StoreContext } from './store-context';

export interface NewSegment {
  mediaId: number;
  /** MMSA `clip_id`; when omitted, the next integer after the media's numeric clip ids. */
  clipId?: string;
  start: number;
  end: number;
  source: SegmentSource;
  text?: string;
  words?: WordTiming[] | null;
  split?: Split | null;
  /** false for estimated spans (a spread plain transcript); default true. */
  aligned?: boolean;
}

/**
 * Fields to change. A patch that moves start or end and does not say `aligned` marks the
 * segment aligned: whoever set the times (the annotator dragging a boundary, a label file
 * with times) is trusted over the estimate. Edits that keep an estimate (split, merge)
 * pass `aligned` explicitly.
 */
export type SegmentPatch = Partial<Pick<Segment, 'clipId' | 'start' | 'end' | 'source' | 'text' | 'words' | 'split' | 'aligned'>>;

const SOURCES: readonly SegmentSource[] = ['vad', 'asr', 'import', 'manual'];
const SPLITS: readonly Split[] = ['train', 'valid', 'test'];

export class SegmentRepo {
  constructor(private readonly ctx: StoreContext) {}

  private check(s: Omit<Segment, 'id'>): void {
    const bad = (message: string) => this.ctx.badInput(message);
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end)) {
      throw bad(`Segment times must be numbers of seconds (got start ${s.start}, end ${s.end})`);
    }
    if (s.start < 0) throw bad(`A segment cannot start before 0 s (got ${s.start})`);
    if (s.end < s.start) throw bad(`A segment cannot end (${s.end} s) before it starts (${s.start} s)`);
    if (s.clipId.trim() === '') throw bad('A clip id cannot be empty');
    if (!SOURCES.includes(s.source)) throw bad(`Segment source "${s.source}" is not one of ${SOURCES.join(', ')}`);
    if (s.split !== null && !SPLITS.includes(s.split)) {
      throw bad(`Split "${s.split}" is not one of ${SPLITS.join(', ')}`);
    }
    if (typeof s.text !== 'string') throw bad('Segment text must be a string');
    if (typeof s.aligned !== 'boolean') throw bad(`Segment "aligned" must be true or false (got ${String(s.aligned)})`);
    for (const w of s.words ?? []) {
      if (typeof w.word !== 'string' || !Number.isFinite(w.start) || !Number.isFinite(w.end) || w.end < w.start) {
        throw bad(`Word timing ${JSON.stringify(w)} needs a word and a start <= end in seconds`);
      }
    }
  }

  private nextClipId(mediaId: number): string {
    // Only all-digit clip ids count; imported ids like "3a" are left alone.
    const row = this.ctx
      .stmt(
        `SELECT COALESCE(MAX(CAST(clip_id AS INTEGER)), 0) + 1 AS next
         FROM segment WHERE media_id = ? AND clip_id NOT GLOB '*[^0-9]*'`,
      )
      .get(mediaId) as { next: number };
    return String(row.next);
  }

  private refuseTakenClipId(mediaId: number, clipId: string, self: number | null): void {
    const other = this.find(mediaId, clipId);
    if (other && other.id !== self) {
      throw this.ctx.badInput(`Clip id "${clipId}" is already used by segment ${other.id} of media ${mediaId}; choose another clip id`);
    }
  }

  create(input: NewSegment, requireMedia: (id: number) => void): Segment {
    return this.ctx.transaction(() => {
      requireMedia(input.mediaId);
      const segment: Omit<Segment, 'id'> = {
        mediaId: input.mediaId,
        clipId: input.clipId ?? this.nextClipId(input.mediaId),
        start: input.start,
        end: input.end,
        source: input.source,
        text: input.text ?? '',
        words: input.words ?? null,
        split: input.split ?? null,
        aligned: input.aligned ?? true,
      };
      this.check(segment);
      this.refuseTakenClipId(segment.mediaId, segment.clipId, null);
      const row = this.ctx
        .stmt(
          `INSERT INTO segment (media_id, clip_id, start_s, end_s, source, text, words_json, split, aligned)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          segment.mediaId,
          segment.clipId,
          segment.start,
          segment.end,
          segment.source,
          segment.text,
          segment.words === null ? null : JSON.stringify(segment.words),
          segment.split,
          segment.aligned ? 1 : 0,
        ) as SegmentRow;
      return toSegment(row, this.ctx.file);
    });
  }

  update(id: number, patch: SegmentPatch): Segment {
    return this.ctx.transaction(() => {
      const current = this.get(id);
      // `undefined` in the patch means "leave as is", as when the field is absent.
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SegmentPatch;
      const moved = (given.start !== undefined && given.start !== current.start) || (given.end !== undefined && given.end !== current.end);
      const aligned = given.aligned ?? (moved ? true : current.aligned);
      const next: Segment = { ...current, ...given, aligned, id: current.id, mediaId: current.mediaId };
      this.check(next);
      this.refuseTakenClipId(next.mediaId, next.clipId, id);
      const row = this.ctx
        .stmt(
          `UPDATE segment SET clip_id = ?, start_s = ?, end_s = ?, source = ?, text = ?, words_json = ?, split = ?,
             aligned = ?
           WHERE id = ? RETURNING *`,
        )
        .get(
          next.clipId,
          next.start,
          next.end,
          next.source,
          next.text,
          next.words === null ? null : JSON.stringify(next.words),
          next.split,
          next.aligned ? 1 : 0,
          id,
        ) as SegmentRow;
      return toSegment(row, this.ctx.file);
    });
  }

  /** Removes the segment with its labels and predictions (ON DELETE CASCADE). */
  delete(id: number): void {
    this.ctx.transaction(() => {
      if (this.ctx.stmt(`DELETE FROM segment WHERE id = ?`).run(id).changes === 0) {
        throw this.ctx.notFound('Segment', id);
      }
    });
  }

  get(id: number): Segment {
    const row = this.ctx.stmt(`SELECT * FROM segment WHERE id = ?`).get(id) as SegmentRow | undefined;
    if (!row) throw this.ctx.notFound('Segment', id);
    return toSegment(row, this.ctx.file);
  }

  /** Throws not-found unless the segment exists. */
  require(id: number): void {
    if (!this.ctx.stmt(`SELECT 1 FROM segment WHERE id = ?`).get(id)) throw this.ctx.notFound('Segment', id);
  }

  find(mediaId: number, clipId: string): Segment | null {
    const row = this.ctx.stmt(`SELECT * FROM segment WHERE media_id = ? AND clip_id = ?`).get(mediaId, clipId) as SegmentRow | undefined;
    return row ? toSegment(row, this.ctx.file) : null;
  }

  list(mediaId: number): Segment[] {
    const rows = this.ctx.stmt(`SELECT * FROM segment WHERE media_id = ? ORDER BY start_s, end_s, id`).all(mediaId) as SegmentRow[];
    return rows.map((row) => toSegment(row, this.ctx.file));
  }
}
