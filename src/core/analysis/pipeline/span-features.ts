// Features of many segments from one pass over a stretch of a media file: the audio of
// the stretch is decoded once and its acoustic frames cut per segment, and its frames are
// sampled once with the face nets run only on frames inside a segment. Per-segment
// extraction (SegmentFeatureExtractor) spawns two ffmpeg processes per segment and
// re-decodes the video from the previous keyframe each time; this is what makes a
// long file affordable (see `sentiscope bench`).
//
// [Note: span features]
// - Audio: frame t of the stretch covers samples [t*hop, t*hop+frameLength) from the
//   stretch start; a segment takes the frames that lie wholly inside it, so its frames sit
//   on the stretch's hop grid (at most one hop off the grid a per-segment decode would
//   use). The acoustic recipe makes a frame depend on its own samples only (YIN aside),
//   so the statistics match per-segment extraction up to that shift.
// - Visual: frames at the recipe's fps from the stretch start; a segment takes those with
//   start <= time < end. A still image's one frame belongs to every segment. Faces are
//   detected and tracked over each run of frames inside segments ([Note: detect and
//   track]); keyframes fall on the run's grid, not a segment's, so a tracked box can differ
//   slightly from a per-segment extraction's.
// - Absence follows [Note: segment presence] in segment-features.ts: no stream, digital
//   silence, no face, nothing in range, or a file ffmpeg cannot decode -> absent with the
//   reason, never an error.

import type { Media, Modality } from '../../../shared/domain';
import { decodeAudio } from '../../media';
import { AcousticExtractor, type AcousticFrames, type AcousticRecipe, frameGeometry, utteranceStatistics } from '../acoustic';
import type { VisualRecipe } from '../face';
import { isSilent, type SegmentFeatures, segmentText } from '../features/segment-features';
import { TOKENIZER_VERSION } from '../text';
import { type VisualPassFactory, type VisualPassRunner, inThreadVisualPass } from './visual-pass';
import { absenceReason } from '../features/absence';

export interface SpanSegment {
  start: number;
  end: number;
  text: string;
}

export interface SpanFeatureOptions {
  acousticRecipe: AcousticRecipe;
  visualRecipe: VisualRecipe;
  /** Modalities the model reads; the others are not extracted. */
  modalities: readonly Modality[];
  /** The tokenizer version of the pack's text recipe (default: this build's). */
  tokenizerVersion?: number;
  /** Languages the pack reads; text in another is absent. */
  textLanguages?: readonly string[];
  faceModelDir?: string;
  signal?: AbortSignal;
  /** Where visual passes run (default: this thread); created on the first stretch with video. */
  visualPass?: VisualPassFactory;
}

// Media errors that mean "this content has nothing for the modality", not "bad input".
/** Per-media extractor of segment features by stretches; keeps the face sessions (or visual worker) between stretches. */
export class SpanFeatureExtractor {
  private visual: VisualPassRunner | null = null;
  /** Seconds spent per part, for `sentiscope bench`. */
  readonly timings = { audio: 0, visual: 0 };

  constructor(
    private readonly media: Media,
    private readonly options: SpanFeatureOptions,
  ) {}

  /** Features of `segments` (sorted by start), all inside one stretch of the file. */
  async extract(segments: readonly SpanSegment[]): Promise<SegmentFeatures[]> {
    if (!segments.length) return [];
    const from = Math.max(0, Math.min(...segments.map((s) => s.start)));
    const to = Math.max(...segments.map((s) => s.end));
    const wants = (m: Modality) => this.options.modalities.includes(m);
    const [audio, visual] = await Promise.all([
      wants('audio') ? this.audioOf(segments, from, to) : segments.map(() => 'not read by the model'),
      wants('visual') ? this.visualOf(segments, from, to) : segments.map(() => 'not read by the model'),
    ]);
    return segments.map((segment, i) => {
      const absent: SegmentFeatures['absent'] = {};
      let text: SegmentFeatures['text'] = null;
      let language: string | null = null;
      if (!wants('text')) absent.text = 'not read by the model';
      else if (segment.text.trim() === '') absent.text = 'no transcript';
      else {
        const read = segmentText(segment.text, this.options.tokenizerVersion ?? TOKENIZER_VERSION, this.options.textLanguages);
        ({ text, language } = read);
        if (read.absent) absent.text = read.absent;
      }
      const a = audio[i];
      const v = visual[i];
      if (typeof a === 'string') absent.audio = a;
      if (typeof v === 'string') absent.visual = v;
      return {
        text,
        audio: typeof a === 'string' ? null : { statistics: a },
        visual: typeof v === 'string' ? null : { statistics: v },
        absent,
        language,
      };
    });
  }

  private async audioOf(segments: readonly SpanSegment[], from: number, to: number): Promise<(Float32Array | string)[]> {
    if (!this.media.probe?.audio) return segments.map(() => 'no audio stream');
    const began = performance.now();
    const recipe = this.options.acousticRecipe;
    const extractor = new AcousticExtractor(recipe);
    let frames: AcousticFrames;
    try {
      for await (const chunk of decodeAudio(this.media.path!, { start: from, end: to })) {
        this.options.signal?.throwIfAborted();
        extractor.push(chunk);
      }
      frames = extractor.finish();
    } catch (err) {
      const reason = absenceReason(err, 'audio');
      if (reason !== null) return segments.map(() => reason);
      throw err;
    } finally {
      this.timings.audio += (performance.now() - began) / 1000;
    }
    const { hop, frameLength } = frameGeometry(recipe);
    const rate = recipe.sampleRate;
    return segments.map((s) => {
      if (s.end <= s.start) return 'empty range';
      const first = Math.ceil(((s.start - from) * rate) / hop - 1e-9);
      const last = Math.floor(((s.end - from) * rate - frameLength) / hop + 1e-9);
      const count = Math.min(frames.frames, last + 1) - Math.max(0, first);
      if (count <= 0) return 'too short (no full audio frame)';
      const at = Math.max(0, first);
      const slice: AcousticFrames = { ...frames, frames: count, data: frames.data.subarray(at * frames.dims, (at + count) * frames.dims) };
      const statistics = utteranceStatistics(slice);
      if (!statistics) return 'too short (no full audio frame)';
      if (isSilent(statistics)) return 'silent';
      return statistics.values;
    });
  }

  private async visualOf(segments: readonly SpanSegment[], from: number, to: number): Promise<(Float32Array | string)[]> {
    if (!this.media.probe?.video) return segments.map(() => 'no video stream');
    this.visual ??= (this.options.visualPass ?? inThreadVisualPass)({
      recipe: this.options.visualRecipe,
      modelDir: this.options.faceModelDir,
    });
    const request = {
      path: this.media.path!,
      still: this.media.kind === 'image',
      from,
      to,
      segments: segments.map((s) => ({ start: s.start, end: s.end })),
    };
    const { result, seconds } = await this.visual.run(request, this.options.signal);
    this.timings.visual += seconds;
    return result;
  }

  /** Stops the visual runner (its worker, if any); the extractor is not used after. */
  async close(): Promise<void> {
    const visual = this.visual;
    this.visual = null;
    await visual?.close();
  }
}
