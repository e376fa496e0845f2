// Agreement between a project's annotators: the items (segments) of one scheme, each
// annotator's values per field, and the report over them. Refuses, naming the project,
// when fewer than two annotators labelled or no item was labelled by two.

import type { Label, MosiLabel, MvsaLabel } from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';
import { agreementReport, type AgreementItem, type AgreementReport, type FieldSpec } from '../../shared/agreement/report';
import type { BootstrapOptions } from '../../shared/agreement/bootstrap';
import { scoreToPolarity } from '../../shared/schemes/mosi';
import { mvsaPairOf } from '../../shared/label-aggregation';
import type { ProjectStore } from '../store';

export type AgreementScheme = 'mosi' | 'mvsa';

export interface AgreementRequest {
  scheme: AgreementScheme;
  /** Only these media; all when absent. */
  mediaIds?: number[];
  bootstrap?: Partial<BootstrapOptions>;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 1 };

const MOSI_FIELDS: FieldSpec[] = [
  { name: 'score', kind: 'interval' },
  { name: 'class3', kind: 'nominal' },
  { name: 'text', kind: 'interval' },
  { name: 'text_class3', kind: 'nominal' },
  { name: 'audio', kind: 'interval' },
  { name: 'audio_class3', kind: 'nominal' },
  { name: 'visual', kind: 'interval' },
  { name: 'visual_class3', kind: 'nominal' },
];

const MVSA_FIELDS: FieldSpec[] = [
  { name: 'text', kind: 'nominal' },
  { name: 'image', kind: 'nominal' },
  { name: 'pair', kind: 'nominal' },
];

const sign = (v: number | null) => (v === null ? null : scoreToPolarity(v));

function mosiValues(label: MosiLabel): Record<string, number | string | null> {
  const { score, text, audio, visual } = label.values;
  return {
    score,
    class3: sign(score),
    text,
    text_class3: sign(text),
    audio,
    audio_class3: sign(audio),
    visual,
    visual_class3: sign(visual),
  };
}

function mvsaValues(label: MvsaLabel): Record<string, number | string | null> {
  return { text: label.values.text, image: label.values.image, pair: mvsaPairOf(label) };
}

export function agreementItems(store: ProjectStore, scheme: AgreementScheme, mediaIds?: number[]): AgreementItem[] {
  const media = mediaIds ? mediaIds.map((id) => store.getMedia(id)) : store.listMedia();
  const items: AgreementItem[] = [];
  for (const item of media) {
    const bySegment = new Map<number, Label[]>();
    for (const label of store.listLabels(item.id)) {
      if (label.scheme !== scheme) continue;
      bySegment.set(label.segmentId, [...(bySegment.get(label.segmentId) ?? []), label]);
    }
    for (const segment of store.listSegments(item.id)) {
      const labels = bySegment.get(segment.id);
      if (!labels) continue;
      const ratings = new Map<string, Record<string, number | string | null>>();
      for (const label of labels) {
        ratings.set(label.annotator, label.scheme === 'mosi' ? mosiValues(label) : mvsaValues(label));
      }
      items.push({ media: item.name, clipId: segment.clipId, segmentId: segment.id, ratings });
    }
  }
  return items;
}

export function projectAgreement(store: ProjectStore, request: AgreementRequest): AgreementReport {
  const items = agreementItems(store, request.scheme, request.mediaIds);
  const report = agreementReport(request.scheme, items, request.scheme === 'mosi' ? MOSI_FIELDS : MVSA_FIELDS, {
    ...DEFAULT_BOOTSTRAP,
    ...request.bootstrap,
  });
  const where = request.mediaIds ? ' in the media asked for' : '';
  if (report.n_annotators < 2) {
    const who = report.annotators.length ? `only ${report.annotators[0]}` : 'nobody';
    throw new SentiscopeError(
      'bad-request',
      `${store.path}: ${request.scheme.toUpperCase()} labels${where} are by ${who}; agreement needs at least two annotators ` +
        "(import each one's file with --annotator NAME, or combine their projects).",
      store.path,
    );
  }
  // MVSA: a post whose sides one annotator set positive against negative has no pair label
  // from them, yet its sides can still be compared, so any field two annotators rated will do.
  const main =
    request.scheme === 'mosi'
      ? report.fields.score
      : [report.fields.pair, report.fields.text, report.fields.image].find((f) => f && f.n_pairable > 0);
  if (!main || main.n_pairable === 0) {
    throw new SentiscopeError(
      'bad-request',
      `${store.path}: no ${request.scheme.toUpperCase()} item${where} was labelled by two annotators (${report.annotators.join(', ')}), ` +
        'so there is no agreement to measure; label the same segments (matching clip ids) as each other.',
      store.path,
    );
  }
  return report;
}
