// The segments an analysis job predicts: from a transcript's cues, from the media's
// segments, or from Silero VAD. Segments are written in one transaction, and a re-run
// finds and reuses them (VAD segments by their source, cues by their times), so a
// cancelled or resumed job never duplicates a segment.

import { SentiscopeError } from '../../../shared/errors';
import type { SegmentationMode } from '../../../shared/analysis-job';
import type { Media, Segment } from '../../../shared/domain';
import { parseTranscript } from '../../io/transcripts';
import { readTextFile } from '../../io/text-file';
import type { ProjectStore } from '../../store';
import { segmentMediaByVad, segmentsFromCues } from '../segmentation';

export interface JobSegments {
  mode: Exclude<SegmentationMode, 'auto'>;
  segments: Segment[];
  created: number;
  /** Why the segments are what they are, when that is worth telling ("reused 12 VAD segments"). */
  note: string | null;
}

export interface SegmentStepOptions {
  mode: SegmentationMode;
  transcript?: string;
  signal?: AbortSignal;
  /** Seconds of audio scanned by VAD. */
  onScan?: (seconds: number, total: number) => void;
}

const SAME_TIME_S = 1e-3;

export function resolveSegmentation(
  mode: SegmentationMode,
  transcript: string | undefined,
  existing: number,
): Exclude<SegmentationMode, 'auto'> {
  if (mode !== 'auto') return mode;
  if (transcript) return 'transcript';
  return existing > 0 ? 'existing' : 'vad';
}

export async function segmentsForJob(store: ProjectStore, media: Media, options: SegmentStepOptions): Promise<JobSegments> {
  const existing = store.listSegments(media.id);
  const mode = resolveSegmentation(options.mode, options.transcript, existing.length);
  switch (mode) {
    case 'existing':
      if (!existing.length) {
        throw new SentiscopeError(
          'bad-request',
          `${media.name} has no segments yet: analyze it with VAD segmentation or give a transcript.`,
          media.path,
        );
      }
      return { mode, segments: existing, created: 0, note: null };
    case 'transcript':
      return fromTranscript(store, media, existing, options);
    case 'vad':
      return fromVad(store, media, existing, options);
  }
}

async function fromTranscript(store: ProjectStore, media: Media, existing: Segment[], options: SegmentStepOptions): Promise<JobSegments> {
  const file = options.transcript;
  if (!file)
    throw new SentiscopeError(
      'bad-request',
      `transcript segmentation of ${media.name} needs a transcript file (SRT or WebVTT).`,
      media.path,
    );
  const cues = segmentsFromCues(parseTranscript(await readTextFile(file), file));
  if (!cues.length) throw new SentiscopeError('bad-file', `${file} has no timed cues: give an SRT or WebVTT file with timings.`, file);
  const duration = media.probe?.duration ?? Infinity;
  let created = 0;
  const segments = store.transaction(() =>
    cues.map((cue) => {
      const same = existing.find((s) => Math.abs(s.start - cue.start) < SAME_TIME_S && Math.abs(s.end - cue.end) < SAME_TIME_S);
      if (same) return same.text === '' && cue.text ? store.updateSegment(same.id, { text: cue.text }) : same;
      created++;
      return store.createSegment({
        mediaId: media.id,
        start: cue.start,
        end: Math.min(cue.end, Math.max(cue.start, duration)),
        source: 'import',
        text: cue.text,
      });
    }),
  );
  return {
    mode: 'transcript',
    segments,
    created,
    note: created < cues.length ? `reused ${cues.length - created} segments with the transcript's timings` : null,
  };
}

async function fromVad(store: ProjectStore, media: Media, existing: Segment[], options: SegmentStepOptions): Promise<JobSegments> {
  const earlier = existing.filter((s) => s.source === 'vad');
  if (earlier.length)
    return { mode: 'vad', segments: earlier, created: 0, note: `reused ${earlier.length} VAD segments from an earlier run` };
  const duration = media.probe?.duration ?? 0;
  let spans: { start: number; end: number }[] = [];
  let note: string | null = null;
  if (media.kind === 'image') {
    spans = [{ start: 0, end: 0 }];
  } else if (!media.probe?.audio) {
    spans = [{ start: 0, end: duration }];
    note = 'no audio stream: the whole file is one segment';
  } else {
    const result = await segmentMediaByVad(media.path!, { signal: options.signal, onProgress: (s) => options.onScan?.(s, duration) });
    spans = result.segments.map((s) => ({ start: s.start, end: Math.min(s.end, Math.max(s.start, duration || s.end)) }));
    if (!spans.length) {
      spans = [{ start: 0, end: duration || result.duration }];
      note = 'VAD found no speech: the whole file is one segment';
    }
  }
  options.signal?.throwIfAborted();
  const segments = store.transaction(() =>
    spans.map((s) => store.createSegment({ mediaId: media.id, start: s.start, end: s.end, source: 'vad', text: '' })),
  );
  return { mode: 'vad', segments, created: segments.length, note };
}
