// One analysis job: probe -> segments (transcript, existing, or VAD) -> per stretch of
// segments, features of all modalities -> fusion + Shapley contributions per segment ->
// one Prediction row per segment, each in its own transaction as it completes.
//
// [Note: resumable analysis]
// A job can stop anywhere (cancelled, crashed, killed) and leave the project consistent:
// segments are written together in one transaction before any prediction, and each
// prediction is one transaction. Running the same job again reuses the segments (see
// job-segments.ts) and skips every segment that already has a prediction of the same
// model id + version, so a resumed job finishes the rest and duplicates nothing.

import type { AnalysisJobSpec, AnalysisProgress, AnalysisSummary } from '../../../shared/analysis-job';
import type { Media, Segment } from '../../../shared/domain';
import { threadId } from 'node:worker_threads';
import { SentiscopeError } from '../../../shared/errors';
import { probeMedia } from '../../media';
import { FusionRunner, type Modality, MODALITIES, predictWithContributions, resolveModelPack } from '../../models';
import { addMediaFile, ProjectStore } from '../../store';
import type { EncoderFeatureExtractor } from '../features/encoder-features';
import { type MediaRange, SegmentFeatureExtractor, type SegmentSource } from '../features/segment-features';
import { JobProgress } from './job-progress';
import { segmentsForJob } from './job-segments';
import { transcribeJobSegments } from './job-transcription';
import { SegmentFrameFeatureExtractor } from './segment-frame-features';
import { SpanFeatureExtractor } from './span-features';
import type { VisualPassFactory } from './visual-pass';

export interface AnalysisJobContext {
  jobId: string;
  /** The project to write to; default: opened from spec.projectPath (and closed at the end). */
  store?: ProjectStore;
  signal?: AbortSignal;
  onProgress?: (event: AnalysisProgress) => void;
  onNote?: (line: string) => void;
  /** Once the model is open: which pack, and the provider with its fallbacks in words. */
  onStart?: (info: { model: { id: string; version: string }; provider: string; mediaId: number; media: string }) => void;
  /** Where the visual passes run (default: this thread; the job hosts give a worker). */
  visualPass?: VisualPassFactory;
}

// A stretch decoded in one go: segments are grouped while the stretch stays under
// STRETCH_S seconds and no pause between them exceeds GAP_S (a long silence is not decoded).
const STRETCH_S = 30;
const GAP_S = 5;

export function stretchesOf(segments: readonly Segment[]): Segment[][] {
  const sorted = [...segments].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Segment[][] = [];
  let current: Segment[] = [];
  let from = 0;
  let to = 0;
  for (const s of sorted) {
    if (current.length && (s.start - to > GAP_S || Math.max(to, s.end) - from > STRETCH_S)) {
      out.push(current);
      current = [];
    }
    if (!current.length) {
      from = s.start;
      to = s.end;
    }
    current.push(s);
    to = Math.max(to, s.end);
  }
  if (current.length) out.push(current);
  return out;
}

export async function runAnalysisJob(spec: AnalysisJobSpec, context: AnalysisJobContext): Promise<AnalysisSummary> {
  const { signal } = context;
  const note = context.onNote ?? (() => {});
  const seconds: Record<string, number> = {};
  const began = performance.now();
  let mark = began;
  const lap = (stage: string) => {
    const now = performance.now();
    seconds[stage] = (seconds[stage] ?? 0) + (now - mark) / 1000;
    mark = now;
  };
  const progress = new JobProgress(context.jobId, spec.file ?? `media ${spec.mediaId}`, (e) => context.onProgress?.(e));
  const store = context.store ?? ProjectStore.open(spec.projectPath);
  let stopExtraction = async () => {};
  try {
    signal?.throwIfAborted();
    progress.report('probe', 0, 1);
    const media = await mediaOf(store, spec);
    progress.media = media.name;
    progress.mediaId = media.id;
    if (!media.path) {
      throw new SentiscopeError(
        'not-found',
        `Media '${media.name}' has no file yet: add its video or audio file to the project.`,
        store.path,
      );
    }
    // The file may have moved or changed since it was added: probe it again now.
    await probeMedia(media.path);
    const pack = await resolveModelPack(spec.model);
    const { manifest } = pack;
    const runner = await FusionRunner.create(pack, { device: spec.device, threads: spec.threads });
    const model = { id: manifest.id, version: manifest.version };
    context.onStart?.({ model, provider: runner.providerDescription, mediaId: media.id, media: media.name });
    // Checks the pack's recipes against what this build computes (throws with the difference).
    const recipes = await SegmentFeatureExtractor.create({
      textRecipe: manifest.inputs.text?.recipe,
      acousticRecipe: manifest.inputs.audio?.recipe,
      visualRecipe: manifest.inputs.visual?.recipe,
    });
    recipes.close();
    progress.report('probe', 1, 1);
    lap('probe');

    const found = await segmentsForJob(store, media, {
      mode: spec.segmentation ?? 'auto',
      transcript: spec.transcript,
      signal,
      onScan: (done, total) => progress.report('segment', done, total),
    });
    if (found.note) note(`${media.name}: ${found.note}`);
    progress.report('segment', 1, 1);
    lap('segment');
    if (spec.asr && manifest.modalities.includes('text')) {
      found.segments = await transcribeJobSegments(store, media, found.segments, spec.asr, {
        signal,
        onNote: note,
        // Reported in the segment stage: the text is part of what a segment is.
        onProgress: (done, total) => progress.report('segment', done, total),
      });
      lap('transcribe');
    }

    const predicted = new Set(
      store
        .listPredictions(media.id)
        .filter((p) => p.modelId === model.id && p.modelVersion === model.version)
        .map((p) => p.segmentId),
    );
    const pending = found.segments.filter((s) => !predicted.has(s.id));
    const skipped = found.segments.length - pending.length;
    if (skipped)
      note(
        `${media.name}: ${skipped} of ${found.segments.length} segments already have predictions of ${model.id}@${model.version}; skipping them`,
      );
    const uses = (m: Modality) => manifest.modalities.includes(m);
    if (uses('text') && pending.length && pending.every((s) => s.text.trim() === '')) {
      note(`${media.name}: no transcript, so the text modality is absent (give --transcript, or --asr with a Whisper model folder)`);
    }

    // Also aborted when the job ends early, so a stretch decoded ahead stops with it.
    const extraction = new AbortController();
    const extractionOptions = {
      acousticRecipe: recipes.acousticRecipe,
      visualRecipe: recipes.visualRecipe,
      tokenizerVersion: recipes.textRecipe.tokenizer.version,
      textLanguages: manifest.inputs.text?.languages,
      // A modality read only through an encoder plug-in is embedded below, not extracted.
      modalities: manifest.modalities.filter((m) => runner.extractedOf.includes(m)),
      signal: signal ? AbortSignal.any([signal, extraction.signal]) : extraction.signal,
    };
    // A pack reading frame sequences gets them from the per-segment path `features
    // --sequences` uses (segment-frame-features.ts); statistics packs take the stretch pass.
    const extractor = runner.framesOf.length
      ? new SegmentFrameFeatureExtractor(media, extractionOptions)
      : new SpanFeatureExtractor(media, { ...extractionOptions, visualPass: context.visualPass });
    // Encoder plug-ins (and @huggingface/transformers) load only for a pack that names one.
    let encoders: EncoderFeatureExtractor | null = null;
    stopExtraction = async () => {
      extraction.abort();
      await extractor.close();
      await encoders?.close();
    };
    if (pack.encoders.length) {
      const { EncoderFeatureExtractor } = await import('../features/encoder-features');
      encoders = await EncoderFeatureExtractor.open(pack.encoders, { device: spec.device, threads: spec.threads });
    }
    // What the encoders read of a segment: as segment-frame-features.ts ranges it.
    const encoderSource = (segment: { start: number; end: number; text: string }): SegmentSource => {
      const range: MediaRange =
        media.kind === 'image' ? { path: media.path! } : { path: media.path!, start: segment.start, end: segment.end };
      return { text: segment.text, audio: media.probe?.audio ? range : null, visual: media.probe?.video ? range : null };
    };
    const absent = { text: 0, audio: 0, visual: 0 };
    const reasons = new Map<string, number>();
    let done = 0;
    let fusion = 0;
    progress.report('analyze', 0, pending.length);
    const stretches = stretchesOf(pending);
    // One stretch ahead: its ffmpeg processes start (probe, seek, first frames) while this
    // one's features and predictions are computed, so the thread never waits on a spawn.
    const extract = (i: number) => {
      const features = extractor.extract(stretches[i]);
      features.catch(() => {}); // awaited in turn below; a failure surfaces there
      return features;
    };
    let ahead = stretches.length ? extract(0) : null;
    for (let s = 0; s < stretches.length; s++) {
      signal?.throwIfAborted();
      const stretch = stretches[s];
      const current = ahead!;
      ahead = s + 1 < stretches.length ? extract(s + 1) : null;
      const features = await current;
      if (encoders) {
        for (let i = 0; i < stretch.length; i++) {
          signal?.throwIfAborted();
          features[i] = await encoders.addTo(features[i], encoderSource(stretch[i]), runner.extractedOf);
        }
      }
      const started = performance.now();
      for (let i = 0; i < stretch.length; i++) {
        signal?.throwIfAborted();
        const prediction = await predictWithContributions(runner, features[i]);
        const [negative, neutral, positive] = prediction.probabilities;
        store.addPrediction({
          segmentId: stretch[i].id,
          modelId: model.id,
          modelVersion: model.version,
          score: prediction.score,
          probabilities: { negative, neutral, positive },
          contributions: prediction.contributions,
          base: prediction.base,
          outOfRange: { text: flagOf(prediction, 'text'), audio: flagOf(prediction, 'audio'), visual: flagOf(prediction, 'visual') },
          language: prediction.language,
        });
        for (const m of MODALITIES) {
          if (!uses(m) || prediction.present.includes(m)) continue;
          absent[m]++;
          const key = `${m} absent (${features[i].absent[m] ?? (features[i][m] ? 'no frames' : 'unknown')})`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
        done++;
        progress.report('analyze', done, pending.length);
      }
      fusion += (performance.now() - started) / 1000;
    }
    lap('analyze');
    seconds.audio = extractor.timings.audio;
    seconds.visual = extractor.timings.visual;
    seconds.fusion = fusion;
    seconds.total = (performance.now() - began) / 1000;
    for (const [reason, count] of reasons) {
      if (!reason.startsWith('text absent (no transcript)')) note(`${media.name}: ${reason} in ${count} of ${pending.length} segments`);
    }
    progress.report('done', pending.length, pending.length);
    return {
      mediaId: media.id,
      media: media.name,
      model,
      segmentation: found.mode,
      segments: found.segments.length,
      segmentsCreated: found.created,
      predicted: done,
      skipped,
      absent,
      seconds,
      threadId,
    };
  } finally {
    await stopExtraction();
    if (!context.store) store.close();
  }
}

async function mediaOf(store: ProjectStore, spec: AnalysisJobSpec): Promise<Media> {
  if (spec.mediaId !== undefined) return store.getMedia(spec.mediaId);
  if (spec.file) return addMediaFile(store, spec.file);
  throw new SentiscopeError('bad-request', 'An analysis job needs a media item or a file.');
}

/** Whether a present modality was outside the training data; null where absent or unchecked. */
function flagOf(prediction: { outOfRange?: Partial<Record<Modality, boolean>> }, m: Modality): boolean | null {
  return prediction.outOfRange?.[m] ?? null;
}
