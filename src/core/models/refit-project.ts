// `refit --project P` and "Refit on my labels": a project's human labels as the label set a
// refit learns from. Several annotators on a segment become one label as `export` makes
// it (src/shared/label-aggregation.ts): the adjudicator's final label where there is one,
// else the MOSI mean score or the MVSA majority pair. Predictions are never read: a
// refit learns only from what people labelled. Each segment is cut from its media file
// as analysis cuts it, and a media item is a group, so folds never split one recording.

import { existsSync } from 'node:fs';
import type { Adjudication, Label, Media, MosiLabel, MvsaLabel, Segment } from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';
import { aggregateMosi, aggregateMvsa } from '../../shared/label-aggregation';
import type { MediaRange, SegmentSource } from '../analysis/features/segment-features';
import {
  CLASS_NAMES,
  type LabelSet,
  type LabelledSegment,
  type RefitOptions,
  type RefitReport,
  classOfScore,
  refitFromLabels,
} from './refit-pack';
import { ProjectStore } from '../store';

/** What analysis reads of a segment: the text, and the media's audio and video over its span. */
function segmentSource(media: Media, segment: Segment): SegmentSource {
  const untimed = segment.start === 0 && segment.end === 0;
  const range: MediaRange | null = !media.path
    ? null
    : media.kind === 'image' || untimed
      ? { path: media.path }
      : { path: media.path, start: segment.start, end: segment.end };
  return {
    text: segment.text.trim() ? segment.text : null,
    audio: range && media.probe?.audio ? range : null,
    visual: range && (media.probe?.video || media.kind === 'image') ? range : null,
  };
}

interface Labelled {
  media: Media;
  segment: Segment;
  labels: Label[];
  adjudication: Adjudication | undefined;
}

/** The project's consensus labels; MOSI scores where the project has any, else MVSA pair labels. */
export function projectLabelSet(store: ProjectStore, file: string): LabelSet {
  const items: Labelled[] = [];
  for (const media of store.listMedia()) {
    const labels = store.listLabels(media.id);
    const adjudications = store.listAdjudications(media.id);
    for (const segment of store.listSegments(media.id)) {
      const own = labels.filter((l) => l.segmentId === segment.id);
      if (own.length) items.push({ media, segment, labels: own, adjudication: adjudications.find((a) => a.segmentId === segment.id) });
    }
  }
  const mosi = items.some((i) => i.labels.some((l) => l.scheme === 'mosi'));
  const rows: LabelledSegment[] = [];
  const annotators = new Set<string>();
  const noFile = new Set<string>();
  for (const { media, segment, labels, adjudication } of items) {
    let label: number | null = null;
    let target: number | null = null;
    if (mosi) {
      const own = labels.filter((l): l is MosiLabel => l.scheme === 'mosi');
      const score = adjudication?.scheme === 'mosi' ? adjudication.values.score : aggregateMosi(own, 'mean')?.score;
      if (score === undefined || score === null) continue;
      label = classOfScore(score);
      target = score;
      own.forEach((l) => annotators.add(l.annotator));
    } else {
      const own = labels.filter((l): l is MvsaLabel => l.scheme === 'mvsa');
      const pair =
        adjudication?.scheme === 'mvsa' ? aggregateMvsa([{ ...own[0], values: adjudication.values }])?.pair : aggregateMvsa(own)?.pair;
      // No majority, or text and image at odds: no label, as export leaves it out.
      if (!pair) continue;
      label = (CLASS_NAMES as readonly string[]).indexOf(pair);
      own.forEach((l) => annotators.add(l.annotator));
    }
    if (!media.path) {
      noFile.add(media.name);
      continue;
    }
    if (adjudication) annotators.add(adjudication.adjudicator);
    rows.push({ source: segmentSource(media, segment), label, target, group: media.name, media: media.path });
  }
  if (noFile.size) {
    throw new SentiscopeError(
      'bad-file',
      `${file}: media ${[...noFile].join(', ')} have labels but no file: add their video or audio files to the project, then refit again. Nothing was refit.`,
      file,
    );
  }
  if (!rows.length) {
    throw new SentiscopeError('bad-file', `${file}: the project has no labelled segments to refit on: label some segments first.`, file);
  }
  return {
    file,
    rows,
    scores: mosi,
    annotators: [...annotators].sort(),
    aggregation: mosi
      ? 'consensus: the adjudicated score, else the mean of the annotators'
      : 'consensus: the adjudicated label, else the majority pair label',
  };
}

/** `refit --project P`: the project read (a missing one is refused, not created; no label is written), then refitFromLabels. */
export async function refitFromProject(project: string, options: RefitOptions): Promise<RefitReport> {
  if (!existsSync(project)) {
    throw new SentiscopeError('not-found', `${project} does not exist: give the path of a .sentiscope project.`, project);
  }
  const store = ProjectStore.open(project);
  let set: LabelSet;
  try {
    set = projectLabelSet(store, store.path);
  } finally {
    store.close();
  }
  return refitFromLabels(set, options);
}
