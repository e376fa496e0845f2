// Adjudication rows: the adjudicator's final label, one per segment and scheme, in a table
// of its own so that no annotator's label is ever overwritten by it.

import type { Adjudication, MosiAdjudication, MosiLabelValues, MvsaAdjudication, MvsaLabelValues } from '../../shared/domain';
import { mosiColumns, mvsaColumns, requiredName, type ValueColumns } from './label-values';
import { toAdjudication, type AdjudicationRow } from './row-mappers';
import type { StoreContext } from './store-context';

interface AdjudicationInput<V> {
  segmentId: number;
  adjudicator: string;
  values: V;
  /** Omitted: an existing adjudication keeps its notes (a new one gets ''). */
  notes?: string;
}
export type MosiAdjudicationInput = AdjudicationInput<MosiLabelValues>;
export type MvsaAdjudicationInput = AdjudicationInput<MvsaLabelValues>;

const UPSERT = `
  INSERT INTO adjudication (segment_id, adjudicator, scheme, mosi_score, mosi_text, mosi_audio, mosi_visual,
                            mvsa_text, mvsa_image, mvsa_pair, notes, updated_at)
  VALUES (@segmentId, @adjudicator, @scheme, @mosiScore, @mosiText, @mosiAudio, @mosiVisual,
          @mvsaText, @mvsaImage, @mvsaPair, COALESCE(@notes, ''), @updatedAt)
  ON CONFLICT (segment_id, scheme) DO UPDATE SET
    adjudicator = excluded.adjudicator,
    mosi_score = excluded.mosi_score, mosi_text = excluded.mosi_text,
    mosi_audio = excluded.mosi_audio, mosi_visual = excluded.mosi_visual,
    mvsa_text = excluded.mvsa_text, mvsa_image = excluded.mvsa_image, mvsa_pair = excluded.mvsa_pair,
    notes = COALESCE(@notes, adjudication.notes),
    updated_at = excluded.updated_at
  RETURNING *`;

export class AdjudicationRepo {
  constructor(private readonly ctx: StoreContext) {}

  private upsert(input: AdjudicationInput<unknown>, scheme: 'mosi' | 'mvsa', columns: ValueColumns, requireSegment: (id: number) => void) {
    const adjudicator = requiredName(this.ctx, input.adjudicator, 'An adjudicated label needs the adjudicator name');
    return this.ctx.transaction(() => {
      requireSegment(input.segmentId);
      const row = this.ctx.stmt(UPSERT).get({
        segmentId: input.segmentId,
        adjudicator,
        scheme,
        ...columns,
        notes: input.notes ?? null,
        updatedAt: this.ctx.now(),
      }) as AdjudicationRow;
      return toAdjudication(row);
    });
  }

  setMosi(input: MosiAdjudicationInput, requireSegment: (id: number) => void): MosiAdjudication {
    return this.upsert(input, 'mosi', mosiColumns(this.ctx, input.values), requireSegment) as MosiAdjudication;
  }

  setMvsa(input: MvsaAdjudicationInput, requireSegment: (id: number) => void): MvsaAdjudication {
    return this.upsert(input, 'mvsa', mvsaColumns(this.ctx, input.values), requireSegment) as MvsaAdjudication;
  }

  /** All adjudications of a media item's segments, in segment order. */
  listForMedia(mediaId: number): Adjudication[] {
    const rows = this.ctx
      .stmt(
        `SELECT adjudication.* FROM adjudication JOIN segment ON segment.id = adjudication.segment_id
         WHERE segment.media_id = ?
         ORDER BY segment.start_s, segment.end_s, segment.id, adjudication.scheme`,
      )
      .all(mediaId) as AdjudicationRow[];
    return rows.map(toAdjudication);
  }

  get(segmentId: number, scheme: 'mosi' | 'mvsa'): Adjudication | null {
    const row = this.ctx.stmt(`SELECT * FROM adjudication WHERE segment_id = ? AND scheme = ?`).get(segmentId, scheme) as
      AdjudicationRow | undefined;
    return row ? toAdjudication(row) : null;
  }

  /** Removes it (undo of a first adjudication); true when there was one. */
  delete(segmentId: number, scheme: 'mosi' | 'mvsa'): boolean {
    return this.ctx.transaction(
      () => this.ctx.stmt(`DELETE FROM adjudication WHERE segment_id = ? AND scheme = ?`).run(segmentId, scheme).changes > 0,
    );
  }
}
