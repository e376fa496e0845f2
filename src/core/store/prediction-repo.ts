// Prediction rows: model outputs, kept per model id + version and never merged with
// human labels (label-repo.ts). Rows are only added: a re-run adds a newer prediction.

import type { Prediction } from '../../shared/domain';
import { flagBit, toPrediction, type PredictionRow } from './row-mappers';
import type { StoreContext } from './store-context';

/** A prediction before the store gives it an id and a time. */
export type NewPrediction = Omit<Prediction, 'id' | 'createdAt' | 'base' | 'outOfRange' | 'language'> &
  Partial<Pick<Prediction, 'base' | 'outOfRange' | 'language'>>;

export class PredictionRepo {
  constructor(private readonly ctx: StoreContext) {}

  private check(p: NewPrediction): void {
    const bad = (message: string) => this.ctx.badInput(message);
    if (typeof p.modelId !== 'string' || p.modelId.trim() === '') throw bad('A prediction needs a model id');
    if (typeof p.modelVersion !== 'string' || p.modelVersion.trim() === '') {
      throw bad(`Prediction of model ${p.modelId} needs a model version`);
    }
    if (!Number.isFinite(p.score)) throw bad(`Prediction score must be a number (got ${p.score})`);
    for (const [name, v] of Object.entries(p.probabilities)) {
      if (!Number.isFinite(v) || v < 0 || v > 1) throw bad(`p_${name} must be a probability in [0, 1] (got ${v})`);
    }
    for (const [name, v] of Object.entries(p.contributions)) {
      if (v !== null && !Number.isFinite(v)) throw bad(`contrib_${name} must be a number or empty (got ${v})`);
    }
    if (p.base != null && !Number.isFinite(p.base)) throw bad(`base_score must be a number or empty (got ${p.base})`);
    for (const [name, v] of Object.entries(p.outOfRange ?? {})) {
      if (v !== null && typeof v !== 'boolean') throw bad(`ood_${name} must be true, false or empty (got ${v})`);
    }
  }

  add(input: NewPrediction, requireSegment: (id: number) => void): Prediction {
    this.check(input);
    return this.ctx.transaction(() => {
      requireSegment(input.segmentId);
      const { probabilities: p, contributions: c } = input;
      const row = this.ctx
        .stmt(
          `INSERT INTO prediction (segment_id, model_id, model_version, score, p_negative, p_neutral, p_positive,
                                   contrib_text, contrib_audio, contrib_visual, base_score, ood_text, ood_audio, ood_visual,
                                   language, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.segmentId,
          input.modelId,
          input.modelVersion,
          input.score,
          p.negative,
          p.neutral,
          p.positive,
          c.text ?? null,
          c.audio ?? null,
          c.visual ?? null,
          input.base ?? null,
          flagBit(input.outOfRange?.text),
          flagBit(input.outOfRange?.audio),
          flagBit(input.outOfRange?.visual),
          input.language ?? null,
          this.ctx.now(),
        ) as PredictionRow;
      return toPrediction(row);
    });
  }

  /**
   * The latest prediction of each model (id + version) for each segment of a media item,
   * in segment order. "Latest" is the highest row id: created_at can tie within a millisecond.
   */
  listLatestForMedia(mediaId: number): Prediction[] {
    const rows = this.ctx
      .stmt(
        `SELECT p.* FROM prediction p JOIN segment s ON s.id = p.segment_id
         WHERE s.media_id = ?
           AND p.id = (SELECT MAX(q.id) FROM prediction q
                       WHERE q.segment_id = p.segment_id AND q.model_id = p.model_id
                         AND q.model_version = p.model_version)
         ORDER BY s.start_s, s.end_s, s.id, p.model_id, p.model_version`,
      )
      .all(mediaId) as PredictionRow[];
    return rows.map(toPrediction);
  }

  /** Every prediction of one segment, newest first (its history across runs and models). */
  listForSegment(segmentId: number): Prediction[] {
    const rows = this.ctx.stmt(`SELECT * FROM prediction WHERE segment_id = ? ORDER BY id DESC`).all(segmentId) as PredictionRow[];
    return rows.map(toPrediction);
  }
}
