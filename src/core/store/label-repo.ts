// Label rows: human annotations, one per segment, annotator and scheme (an upsert key).
// Predictions are stored elsewhere (prediction-repo.ts) and never touched from here.

import type { Label, MosiLabel, MosiLabelValues, MvsaLabel, MvsaLabelValues } from '../../shared/domain';
import { mosiColumns, mvsaColumns, requiredName, type ValueColumns } from './label-values';
import { toLabel, type LabelRow } from './row-mappers';
import type { StoreContext } from './store-context';

interface LabelInput<V> {
  segmentId: number;
  annotator: string;
  values: V;
  /** Omitted: an existing label keeps its notes (a new one gets ''). */
  notes?: string;
  /** Omitted: an existing label keeps its flag (a new one gets false). */
  questionable?: boolean;
}
export type MosiLabelInput = LabelInput<MosiLabelValues>;
export type MvsaLabelInput = LabelInput<MvsaLabelValues>;

const UPSERT = `
  INSERT INTO label (segment_id, annotator, scheme, mosi_score, mosi_text, mosi_audio, mosi_visual,
                     mvsa_text, mvsa_image, mvsa_pair, notes, questionable, updated_at)
  VALUES (@segmentId, @annotator, @scheme, @mosiScore, @mosiText, @mosiAudio, @mosiVisual,
          @mvsaText, @mvsaImage, @mvsaPair, COALESCE(@notes, ''), COALESCE(@questionable, 0), @updatedAt)
  ON CONFLICT (segment_id, annotator, scheme) DO UPDATE SET
    mosi_score = excluded.mosi_score, mosi_text = excluded.mosi_text,
    mosi_audio = excluded.mosi_audio, mosi_visual = excluded.mosi_visual,
    mvsa_text = excluded.mvsa_text, mvsa_image = excluded.mvsa_image, mvsa_pair = excluded.mvsa_pair,
    notes = COALESCE(@notes, label.notes),
    questionable = COALESCE(@questionable, label.questionable),
    updated_at = excluded.updated_at
  RETURNING *`;

export class LabelRepo {
  constructor(private readonly ctx: StoreContext) {}

  private upsert(input: LabelInput<unknown>, scheme: 'mosi' | 'mvsa', columns: ValueColumns, requireSegment: (id: number) => void): Label {
    const annotator = requiredName(this.ctx, input.annotator, 'A label needs an annotator name');
    return this.ctx.transaction(() => {
      requireSegment(input.segmentId);
      const row = this.ctx.stmt(UPSERT).get({
        segmentId: input.segmentId,
        annotator,
        scheme,
        ...columns,
        notes: input.notes ?? null,
        questionable: input.questionable === undefined ? null : input.questionable ? 1 : 0,
        updatedAt: this.ctx.now(),
      }) as LabelRow;
      return toLabel(row);
    });
  }

  setMosi(input: MosiLabelInput, requireSegment: (id: number) => void): MosiLabel {
    return this.upsert(input, 'mosi', mosiColumns(this.ctx, input.values), requireSegment) as MosiLabel;
  }

  setMvsa(input: MvsaLabelInput, requireSegment: (id: number) => void): MvsaLabel {
    return this.upsert(input, 'mvsa', mvsaColumns(this.ctx, input.values), requireSegment) as MvsaLabel;
  }

  get(id: number): Label {
    const row = this.ctx.stmt(`SELECT * FROM label WHERE id = ?`).get(id) as LabelRow | undefined;
    if (!row) throw this.ctx.notFound('Label', id);
    return toLabel(row);
  }

  /** All labels of a media item's segments, in segment order. */
  listForMedia(mediaId: number): Label[] {
    const rows = this.ctx
      .stmt(
        `SELECT label.* FROM label JOIN segment ON segment.id = label.segment_id
         WHERE segment.media_id = ?
         ORDER BY segment.start_s, segment.end_s, segment.id, label.scheme, label.annotator`,
      )
      .all(mediaId) as LabelRow[];
    return rows.map(toLabel);
  }

  listForSegment(segmentId: number): Label[] {
    const rows = this.ctx.stmt(`SELECT * FROM label WHERE segment_id = ? ORDER BY scheme, annotator`).all(segmentId) as LabelRow[];
    return rows.map(toLabel);
  }

  delete(id: number): void {
    this.ctx.transaction(() => {
      if (this.ctx.stmt(`DELETE FROM label WHERE id = ?`).run(id).changes === 0) throw this.ctx.notFound('Label', id);
    });
  }
}
