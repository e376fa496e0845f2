// How an export brings several annotators' labels together, as `sentiscope export
// --aggregate ... --min-annotators K` does: the choices a format offers and the fields of
// the 'io:export' request they become. Only MOSI and MVSA exports aggregate.

import type { ExportAggregate, ExportFormat } from '../../../../shared/contract';
import { SentiscopeError } from '../../../../shared/errors';
import { t } from '../../i18n';

/** MOSI scores: mean, median or the adjudicator's; MVSA categories: the annotators' majority (no aggregate named) or the adjudicator's. */
export type AggregateChoice = ExportAggregate | 'majority';

export interface ExportAggregation {
  choice: AggregateChoice;
  /** Segments fewer annotators labelled are left out (1: none). */
  minAnnotators: number;
}

/** The choices a format offers, its default first; none for formats that do not aggregate. */
export function aggregateChoices(format: ExportFormat): AggregateChoice[] {
  if (format === 'mosi') return ['mean', 'median', 'adjudicated'];
  if (format === 'mvsa') return ['majority', 'adjudicated'];
  return [];
}

/** The choice kept when the format changes: the same one where the new format offers it, else its default. */
export function choiceFor(format: ExportFormat, choice: AggregateChoice): AggregateChoice {
  const offered = aggregateChoices(format);
  return offered.includes(choice) ? choice : (offered[0] ?? choice);
}

/**
 * The request fields for an export: nothing for a format that does not aggregate, nor for
 * the defaults (so a one-annotator project exports exactly as before); a minimum that is
 * not a whole number >= 1 is refused here, in the page's words.
 */
export function aggregationRequest(
  format: ExportFormat,
  aggregation: ExportAggregation,
): { aggregate?: ExportAggregate; minAnnotators?: number } {
  const offered = aggregateChoices(format);
  if (!offered.length) return {};
  const { minAnnotators } = aggregation;
  if (!Number.isInteger(minAnnotators) || minAnnotators < 1) {
    throw new SentiscopeError('bad-request', t('exportMinAnnotatorsBad', { value: String(minAnnotators) }));
  }
  const choice = choiceFor(format, aggregation.choice);
  return {
    ...(choice === offered[0] || choice === 'majority' ? {} : { aggregate: choice }),
    ...(minAnnotators > 1 ? { minAnnotators } : {}),
  };
}
