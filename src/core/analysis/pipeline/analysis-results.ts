// A media item's stored predictions of one model as output rows (`sentiscope analyze
// --out`): the same number conventions as `sentiscope predict` ([Note: predict output]).

import { fixedDecimals } from '../../../shared/fixed-decimals';
import { formatCsv } from '../../../shared/csv';
import { POLARITIES } from '../../../shared/domain';
import type { ProjectStore } from '../../store';
import { flagBit } from '../../store/row-mappers';
import { PREDICTION_COLUMNS } from '../../models/batch-predict';

export const ANALYSIS_COLUMNS = [
  'media',
  'clip_id',
  'start_s',
  'end_s',
  'text',
  // The prediction columns exactly as `predict` writes them ([Note: predict output]).
  ...PREDICTION_COLUMNS,
] as const;

export interface AnalysisRow {
  media: string;
  clip_id: string;
  start_s: number;
  end_s: number;
  text: string;
  pred_score: number;
  pred_label: string;
  p_negative: number;
  p_neutral: number;
  p_positive: number;
  /** null where the modality was absent. */
  contrib_text: number | null;
  contrib_audio: number | null;
  contrib_visual: number | null;
  language: string | null;
  /** 1/0; null where the modality was absent or the pack does not check. */
  ood_text: number | null;
  ood_audio: number | null;
  ood_visual: number | null;
}

/** Segments of a media item (time order) that have a prediction of the model, with it. */
export function analysisRows(store: ProjectStore, mediaId: number, model: { id: string; version: string }): AnalysisRow[] {
  const media = store.getMedia(mediaId);
  const latest = new Map(
    store
      .listPredictions(mediaId)
      .filter((p) => p.modelId === model.id && p.modelVersion === model.version)
      .map((p) => [p.segmentId, p]),
  );
  return store.listSegments(mediaId).flatMap((s) => {
    const p = latest.get(s.id);
    if (!p) return [];
    const probabilities = POLARITIES.map((c) => p.probabilities[c]);
    return [
      {
        media: media.name,
        clip_id: s.clipId,
        start_s: s.start,
        end_s: s.end,
        text: s.text,
        pred_score: p.score,
        pred_label: POLARITIES[probabilities.indexOf(Math.max(...probabilities))],
        p_negative: p.probabilities.negative,
        p_neutral: p.probabilities.neutral,
        p_positive: p.probabilities.positive,
        contrib_text: p.contributions.text,
        contrib_audio: p.contributions.audio,
        contrib_visual: p.contributions.visual,
        language: p.language,
        ood_text: flagBit(p.outOfRange.text),
        ood_audio: flagBit(p.outOfRange.audio),
        ood_visual: flagBit(p.outOfRange.visual),
      },
    ];
  });
}

export function formatAnalysisCsv(rows: readonly AnalysisRow[]): string {
  const cells = rows.map((r) =>
    ANALYSIS_COLUMNS.map((c) => {
      const v = r[c];
      if (v === null) return '';
      if (typeof v === 'string') return v;
      if (c.startsWith('ood_')) return String(v);
      return fixedDecimals(v, c === 'start_s' || c === 'end_s' ? 3 : 4);
    }),
  );
  return formatCsv(ANALYSIS_COLUMNS, cells);
}
