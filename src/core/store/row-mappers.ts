// Turns table rows into domain objects (src/shared/domain.ts). The only place that
// knows column names on the way out of the database.

import type {
  Adjudication,
  Label,
  Media,
  MediaKind,
  Polarity,
  Prediction,
  ProbeInfo,
  Project,
  Segment,
  SegmentSource,
  Split,
  WordTiming,
} from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';

export interface ProjectRow {
  id: number;
  name: string;
  created_at: string;
}

export interface MediaRow {
  id: number;
  name: string;
  path: string | null;
  identity: string | null;
  kind: MediaKind;
  probe_json: string | null;
  added_at: string;
}

export interface SegmentRow {
  id: number;
  media_id: number;
  clip_id: string;
  start_s: number;
  end_s: number;
  source: SegmentSource;
  text: string;
  words_json: string | null;
  split: Split | null;
  aligned: number;
}

export interface LabelRow {
  id: number;
  segment_id: number;
  annotator: string;
  scheme: 'mosi' | 'mvsa';
  mosi_score: number | null;
  mosi_text: number | null;
  mosi_audio: number | null;
  mosi_visual: number | null;
  mvsa_text: Polarity | null;
  mvsa_image: Polarity | null;
  mvsa_pair: Polarity | null;
  notes: string;
  questionable: number;
  updated_at: string;
}

export interface AdjudicationRow extends Omit<LabelRow, 'annotator' | 'questionable'> {
  adjudicator: string;
}

export interface PredictionRow {
  id: number;
  segment_id: number;
  model_id: string;
  model_version: string;
  score: number;
  p_negative: number;
  p_neutral: number;
  p_positive: number;
  contrib_text: number | null;
  contrib_audio: number | null;
  contrib_visual: number | null;
  base_score: number | null;
  ood_text: number | null;
  ood_audio: number | null;
  ood_visual: number | null;
  language: string | null;
  created_at: string;
}

function parseJson<T>(json: string | null, file: string, what: string): T | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    throw new SentiscopeError(
      'internal',
      `${file}: the stored ${what} is not valid JSON; the project file may be damaged, restore it from a backup`,
      file,
    );
  }
}

export function toProject(row: ProjectRow): Project {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function toMedia(row: MediaRow, projectId: number, file: string): Media {
  return {
    id: row.id,
    projectId,
    name: row.name,
    path: row.path,
    identity: row.identity,
    kind: row.kind,
    probe: parseJson<ProbeInfo>(row.probe_json, file, `probe of media ${row.id}`),
    addedAt: row.added_at,
  };
}

export function toSegment(row: SegmentRow, file: string): Segment {
  return {
    id: row.id,
    mediaId: row.media_id,
    clipId: row.clip_id,
    start: row.start_s,
    end: row.end_s,
    source: row.source,
    text: row.text,
    words: parseJson<WordTiming[]>(row.words_json, file, `word timings of segment ${row.id}`),
    split: row.split,
    aligned: row.aligned === 1,
  };
}

export function toLabel(row: LabelRow): Label {
  const base = {
    id: row.id,
    segmentId: row.segment_id,
    annotator: row.annotator,
    notes: row.notes,
    questionable: row.questionable === 1,
    updatedAt: row.updated_at,
  };
  if (row.scheme === 'mosi') {
    return {
      ...base,
      scheme: 'mosi',
      values: {
        // NOT NULL for mosi rows: the table's CHECK guarantees it.
        score: row.mosi_score as number,
        text: row.mosi_text,
        audio: row.mosi_audio,
        visual: row.mosi_visual,
      },
    };
  }
  return { ...base, scheme: 'mvsa', values: { text: row.mvsa_text, image: row.mvsa_image, pair: row.mvsa_pair } };
}

export function toAdjudication(row: AdjudicationRow): Adjudication {
  // The same value columns as a label: read them through toLabel, then name the role.
  const { id, segmentId, scheme, values, notes, updatedAt } = toLabel({ ...row, annotator: row.adjudicator, questionable: 0 });
  return { id, segmentId, adjudicator: row.adjudicator, scheme, values, notes, updatedAt } as Adjudication;
}

export function toPrediction(row: PredictionRow): Prediction {
  return {
    id: row.id,
    segmentId: row.segment_id,
    modelId: row.model_id,
    modelVersion: row.model_version,
    score: row.score,
    probabilities: { negative: row.p_negative, neutral: row.p_neutral, positive: row.p_positive },
    contributions: { text: row.contrib_text, audio: row.contrib_audio, visual: row.contrib_visual },
    base: row.base_score,
    outOfRange: { text: flag(row.ood_text), audio: flag(row.ood_audio), visual: flag(row.ood_visual) },
    language: row.language,
    createdAt: row.created_at,
  };
}

function flag(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

/** A flag as the store's 0/1 column (NULL: not judged). */
export function flagBit(flag: boolean | null | undefined): number | null {
  return flag == null ? null : flag ? 1 : 0;
}
