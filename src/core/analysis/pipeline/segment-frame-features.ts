// Features WITH frame sequences for the analysis job, segment by segment, for packs whose
// fusion model reads audio.frames / visual.frames. The frames a pack was trained on are
// those `sentiscope features --sequences` wrote (SegmentFeatureExtractor.extract with
// frames), so analysis uses that very code path per segment instead of the stretch pass of
// span-features.ts: that pass cuts audio frames on the stretch's hop grid and tracks faces
// over the stretch, which is close for statistics but would feed a sequence model frames
// that differ from its training rows. The price is one decode per segment and modality
// (as `features` and `predict` pay).
// Absence reasons follow span-features.ts, so the job's notes read the same.

import type { Media, Modality } from '../../../shared/domain';
import type { AcousticRecipe } from '../acoustic';
import type { VisualRecipe } from '../face';
import { type MediaRange, SegmentFeatureExtractor, type SegmentFeatures } from '../features/segment-features';
import type { SpanSegment } from './span-features';
import { type TextRecipe, builtTextRecipe } from '../text';

export interface SegmentFrameFeatureOptions {
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
}

/** Same surface as SpanFeatureExtractor (extract per stretch, timings, close). */
export class SegmentFrameFeatureExtractor {
  /** Seconds spent per part, for `sentiscope bench`. */
  readonly timings = { audio: 0, visual: 0 };
  private extractor: Promise<SegmentFeatureExtractor> | null = null;

  constructor(
    private readonly media: Media,
    private readonly options: SegmentFrameFeatureOptions,
  ) {}

  /** Features of `segments`, each with its frames, in order. */
  async extract(segments: readonly SpanSegment[]): Promise<SegmentFeatures[]> {
    this.extractor ??= SegmentFeatureExtractor.create({
      textRecipe: structuredClone(builtTextRecipe(this.options.tokenizerVersion) as TextRecipe),
      textLanguages: this.options.textLanguages,
      acousticRecipe: this.options.acousticRecipe,
      visualRecipe: this.options.visualRecipe,
      faceModelDir: this.options.faceModelDir,
    });
    const extractor = await this.extractor;
    const out: SegmentFeatures[] = [];
    for (const segment of segments) {
      this.options.signal?.throwIfAborted();
      out.push(await this.segmentFeatures(extractor, segment));
    }
    return out;
  }

  private async segmentFeatures(extractor: SegmentFeatureExtractor, segment: SpanSegment): Promise<SegmentFeatures> {
    const wants = (m: Modality) => this.options.modalities.includes(m);
    const { media } = this;
    // A still image's one frame belongs to every segment (as in span-features.ts).
    const range: MediaRange =
      media.kind === 'image' ? { path: media.path! } : { path: media.path!, start: segment.start, end: segment.end };
    const absent: SegmentFeatures['absent'] = {};

    let text: SegmentFeatures['text'] = null;
    if (!wants('text')) absent.text = 'not read by the model';
    else if (segment.text.trim() === '') absent.text = 'no transcript';
    else {
      const result = await extractor.extract({ text: segment.text });
      text = result.text;
      if (!text) absent.text = result.absent.text ?? 'no text';
    }

    let audio: SegmentFeatures['audio'] = null;
    if (!wants('audio')) absent.audio = 'not read by the model';
    else if (!media.probe?.audio) absent.audio = 'no audio stream';
    else {
      const began = performance.now();
      const result = await extractor.extract({ audio: range }, { frames: true });
      this.timings.audio += (performance.now() - began) / 1000;
      audio = result.audio;
      if (!audio) absent.audio = result.absent.audio ?? 'absent';
    }

    let visual: SegmentFeatures['visual'] = null;
    if (!wants('visual')) absent.visual = 'not read by the model';
    else if (!media.probe?.video) absent.visual = 'no video stream';
    else {
      const began = performance.now();
      const result = await extractor.extract({ visual: range }, { frames: true });
      this.timings.visual += (performance.now() - began) / 1000;
      visual = result.visual;
      if (!visual) absent.visual = result.absent.visual ?? 'absent';
    }
    return { text, audio, visual, absent };
  }

  /** The face sessions are shared process-wide; nothing else to stop. */
  async close(): Promise<void> {
    const extractor = this.extractor;
    this.extractor = null;
    (await extractor?.catch(() => null))?.close();
  }
}
