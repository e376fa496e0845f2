// Writing one media item's segments, human labels and rating traces as an ELAN or Praat tier file.
// A TextGrid has no media link: Praat pairs clip.TextGrid with clip.wav by name.

import { dirname, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TierFormat } from '../../shared/contract';
import { SentiscopeError } from '../../shared/errors';
import { eafMimeType, formatEaf } from '../io/eaf';
import { formatTextGrid } from '../io/textgrid';
import type { ProjectStore } from '../store';
import { tiersOfMedia } from './annotation-tiers';
import { traceTiersOfMedia } from './trace-tiers';

export interface TierExport {
  text: string;
  /** Segments written (the transcript tier's annotations). */
  rows: number;
}

export function exportTierFile(
  store: ProjectStore,
  format: TierFormat,
  file: string,
  mediaIds: number[] | undefined,
  annotator?: string,
): TierExport {
  const what = format === 'eaf' ? 'An ELAN file' : 'A TextGrid';
  if (mediaIds?.length !== 1) throw new SentiscopeError('bad-request', `${what} is of one media item: name exactly one.`, file);
  // Live mode's rating traces ride along as tiers of their own; an item with only a trace exports too.
  const traceTiers = traceTiersOfMedia(store, mediaIds[0], annotator);
  const { media, tiers, segments, end } = tiersOfMedia(store, mediaIds[0], file, format === 'eaf' ? 'ELAN' : 'Praat', annotator, {
    allowNoSegments: traceTiers.length > 0,
  });
  const withTraces = [...tiers, ...traceTiers];
  if (format === 'textgrid') {
    // Every tier tiles 0..xmax, so xmax reaches the last trace sample's step too.
    const xmax = Math.max(end, ...traceTiers.map((t) => t.annotations.at(-1)!.end));
    return { text: formatTextGrid({ tiers: withTraces, xmax }), rows: segments };
  }
  const mediaLink = media.path
    ? {
        url: pathToFileURL(media.path).href,
        relativeUrl: encodeURI(`./${relative(dirname(file), media.path).split(sep).join('/')}`.replace(/^\.\/\.\.\//, '../')),
        mimeType: eafMimeType(media.path),
      }
    : null;
  return {
    text: formatEaf({ tiers: withTraces, media: mediaLink, mediaName: media.name, date: new Date().toISOString() }),
    rows: segments,
  };
}
