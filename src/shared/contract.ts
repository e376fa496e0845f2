// The one typed contract between the renderer and the core services.
// [Note: one contract, three shells] The Electron main process registers an IPC
// handler for each channel here, the preload exposes exactly these channels, and the
// loopback server (browser mode) answers `POST /api/<channel>` for them — all three
// loop over `CHANNELS`, so nothing outside this map is reachable (an allow-list by
// construction). Requests are validated here; responses come from our own code.

import { ITEM_SEGMENTATION_MODES, type AnalysisJobStatus } from './analysis-job';
import type { CatalogListing, InstalledModel, ModelDownloadStatus, ModelsOverview } from './model-catalog';
import type { AgreementReport } from './agreement/report';
import type { Trace, TraceSample } from './trace';
import type { LearningCurve, RefitJobStatus } from './refit-job';
import type { LabelQueue } from './label-queue';
import type {
  Adjudication,
  Label,
  Media,
  MosiLabelValues,
  MvsaLabelValues,
  Prediction,
  Project,
  ReviewItem,
  Segment,
  SegmentSource,
  Split,
} from './domain';
import { EXPORT_AGGREGATES, EXPORT_FORMATS, IMPORT_FORMATS, type ExportFormat, type ImportFormat } from './io-formats';
import { array, bool, int, none, nullable, num, object, oneOf, optional, str, type Validator } from './validate';

export interface ToolInfo {
  path: string;
  version: string;
  /** Where it was found: env override, npm package or PATH. */
  source: string;
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser';
  ffmpeg: ToolInfo | null;
  /** null when no ffprobe binary exists: probing then runs through ffmpeg. */
  ffprobe: ToolInfo | null;
  projectPath: string | null;
}

export interface OpenProject {
  path: string;
  project: Project;
}

export interface WaveformPeaks {
  duration: number;
  /** Peak values per second of media. */
  peaksPerSecond: number;
  /** Max absolute amplitude per bucket, in [0, 1]; one channel (audio is mixed to mono). */
  peaks: number[];
}

/**
 * Waveform peaks packed for the page: `data` is base64 of `count` little-endian Float32
 * values. A 1-hour file at 50 peaks/s is 0.96 MB this way, against 3.5 MB as JSON numbers
 * (which also cost a stringify in the core and a parse in the page).
 */
export interface PackedWaveformPeaks {
  duration: number;
  peaksPerSecond: number;
  count: number;
  data: string;
}

/**
 * A log-mel spectrogram of one time window ('media:spectrogram'), for drawing under the
 * waveform. `data` is base64 of frames x bins little-endian Float32 values (natural-log
 * mel energies, frame-major, bin 0 the lowest band); frame i is centred at
 * start + firstFrameCenter + i / framesPerSecond.
 */
export interface SpectrogramWindow {
  /** Seconds; `end` may be earlier than asked (windows are capped, the file may end). */
  start: number;
  end: number;
  framesPerSecond: number;
  /** Seconds from `start` to the centre of frame 0. */
  firstFrameCenter: number;
  frames: number;
  bins: number;
  data: string;
}

/** What a file dialog returns: the chosen path, or null when the user cancelled. */
export interface DialogResult {
  path: string | null;
}

// The formats are plain data of their own (io-formats.ts); re-exported so callers of the contract keep one import.
export {
  EXPORT_AGGREGATES,
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  ONE_MEDIA_EXPORT_FORMATS,
  TIER_FORMATS,
  TRANSCRIPT_FORMATS,
  type ExportAggregate,
  type ExportFormat,
  type ImportFormat,
  type TierFormat,
} from './io-formats';

export interface ImportReport {
  format: ImportFormat;
  file: string;
  mediaCreated: number;
  segments: number;
  labels: number;
  /** eaf and textgrid: annotators' rating traces read from "<annotator> trace" tiers, and their samples. */
  traces?: number;
  traceSamples?: number;
  /** eaf and textgrid: tiers whose names say neither transcript nor "<annotator> <field>". */
  skippedTiers?: string[];
}

export interface ExportReport {
  format: ExportFormat;
  file: string;
  rows: number;
  /** MVSA only: posts left out because text and image labels conflict. */
  skippedConflicts: number;
  /** Segments left out for having fewer annotators than asked (--min-annotators). */
  skippedFewAnnotators?: number;
  /** MVSA only: posts left out, flagged, because a side has no majority among the annotators. */
  noMajority?: string[];
}

/** The same annotator with two different labels on one segment, found while combining. */
export interface CombineConflict {
  media: string;
  clipId: string;
  annotator: string;
  scheme: Label['scheme'];
  /** The label the team project keeps. */
  kept: Label['values'];
  /** The label of `file` that was not taken. */
  other: Label['values'];
  file: string;
}

/**
 * The same annotator's rating trace of one media item holding different values in the team
 * project and in `file`, found while combining: the team's trace is kept whole.
 */
export interface CombineTraceConflict {
  media: string;
  annotator: string;
  /** Samples (ticks) both traces hold, with different values. */
  differing: number;
  /** Seconds: the first tick where they differ, with the team's value and the file's there. */
  at: number;
  kept: number;
  other: number;
  file: string;
}

/** What combining annotators' projects into a team project did (`project combine`, 'project:combine'). */
export interface CombineReport {
  into: string;
  sources: string[];
  /** Source media items that met one the team project already had (by file identity, else name). */
  mediaMatched: number;
  mediaAdded: number;
  segmentsAdded: number;
  labelsAdded: number;
  /** Labels the team project already had, the same. */
  labelsSame: number;
  conflicts: CombineConflict[];
  /** Rating traces the team project lacked (or lacked samples of, agreeing on every sample both hold), taken. */
  tracesAdded: number;
  traceSamplesAdded: number;
  /** Traces the team project already held, every sample the same. */
  tracesSame: number;
  traceConflicts: CombineTraceConflict[];
  /** False when nothing was new: the team file was left untouched. */
  changed: boolean;
}

const mosiValues: Validator<MosiLabelValues> = object({
  score: num,
  text: nullable(num),
  audio: nullable(num),
  visual: nullable(num),
});
const polarity = oneOf('negative', 'neutral', 'positive');
const mvsaValues: Validator<MvsaLabelValues> = object({
  text: nullable(polarity),
  image: nullable(polarity),
  pair: nullable(polarity),
});

/** What 'segments:split' returns: the segment cut at `at` (same id) and the new second half. */
export interface SplitResult {
  first: Segment;
  second: Segment;
}

/** A segment as it was before a delete, for undo ('segments:restore'); the id is given anew. */
export interface SegmentSnapshot {
  mediaId: number;
  clipId: string;
  start: number;
  end: number;
  source: SegmentSource;
  text: string;
  words: { word: string; start: number; end: number }[] | null;
  split: Split | null;
  /** Absent = true (snapshots made before the field existed). */
  aligned?: boolean;
}

/** A label as it was before a delete, for undo. Exactly one of mosi / mvsa is set, per scheme. */
export interface LabelSnapshot {
  annotator: string;
  scheme: 'mosi' | 'mvsa';
  mosi: MosiLabelValues | null;
  mvsa: MvsaLabelValues | null;
  notes: string;
  questionable: boolean;
}

export interface RestoredSegment {
  segment: Segment;
  labels: Label[];
}

const segmentSnapshot: Validator<SegmentSnapshot> = object({
  mediaId: int,
  clipId: str,
  start: num,
  end: num,
  source: oneOf('vad', 'asr', 'import', 'manual'),
  text: str,
  words: nullable(array(object({ word: str, start: num, end: num }))),
  split: nullable(oneOf('train', 'valid', 'test')),
  aligned: optional(bool),
});
const labelSnapshot: Validator<LabelSnapshot> = object({
  annotator: str,
  scheme: oneOf('mosi', 'mvsa'),
  mosi: nullable(mosiValues),
  mvsa: nullable(mvsaValues),
  notes: str,
  questionable: bool,
});

/** What 'traces:replace' returns: the samples the take replaced (for undo) and the annotator's whole trace now. */
export interface TraceReplaced {
  previous: TraceSample[];
  trace: Trace;
}

/** A channel: its request validator, and its response type (compile time only). */
interface Channel<Req, Res> {
  validate: Validator<Req>;
  /** Phantom field carrying the response type. */
  readonly _response?: Res;
}
function channel<Res>() {
  return <Req>(validate: Validator<Req>): Channel<Req, Res> => ({ validate });
}

export const contract = {
  'app:info': channel<AppInfo>()(none),

  'project:open': channel<OpenProject>()(object({ path: str })),
  'project:current': channel<OpenProject | null>()(none),
  /**
   * Combines annotators' project files into the open project (the team's), as
   * `sentiscope project combine` does; the project is closed for it and opened again.
   */
  'project:combine': channel<CombineReport>()(object({ sources: array(str) })),

  'media:add': channel<Media>()(object({ path: str })),
  'media:list': channel<Media[]>()(none),
  /** Waveform peaks (cached on disk), packed as base64 Float32 for the page. */
  'media:peaksPacked': channel<PackedWaveformPeaks>()(object({ mediaId: int, peaksPerSecond: optional(int) })),
  /** Log-mel spectrogram of [start, end) seconds, computed in the core; windows longer than 60 s are cut to 60 s. */
  'media:spectrogram': channel<SpectrogramWindow>()(object({ mediaId: int, start: num, end: num })),

  /**
   * Native file dialogs. Only the desktop app has them: the core's handlers (browser mode)
   * refuse with 'bad-request', and the Electron main process replaces both (src/main/dialogs.ts).
   */
  'dialog:openFile': channel<DialogResult>()(object({ purpose: oneOf('media', 'project', 'import') })),
  'dialog:saveFile': channel<DialogResult>()(object({ purpose: oneOf('export'), format: optional(oneOf(...EXPORT_FORMATS)) })),

  'segments:list': channel<Segment[]>()(object({ mediaId: int })),
  'segments:create': channel<Segment>()(object({ mediaId: int, start: num, end: num, text: optional(str) })),
  'segments:update': channel<Segment>()(object({ segmentId: int, start: optional(num), end: optional(num), text: optional(str) })),
  'segments:delete': channel<void>()(object({ segmentId: int })),
  /** Cuts a segment at `at` (strictly inside it) in one transaction; labels stay on the first part. */
  'segments:split': channel<SplitResult>()(object({ segmentId: int, at: num, firstText: optional(str), secondText: optional(str) })),
  /**
   * Joins `nextId` into `segmentId` in one transaction: the span covers both, texts are
   * joined with a space, the first segment's labels are kept and the next one's are dropped.
   */
  'segments:merge': channel<Segment>()(object({ segmentId: int, nextId: int })),
  /** Puts back a deleted segment with its labels (undo of delete/merge); it gets a new id. */
  'segments:restore': channel<RestoredSegment>()(object({ segment: segmentSnapshot, labels: array(labelSnapshot) })),

  'labels:list': channel<Label[]>()(object({ mediaId: int })),
  'labels:setMosi': channel<Label>()(
    object({
      segmentId: int,
      annotator: str,
      values: mosiValues,
      notes: optional(str),
      questionable: optional(bool),
    }),
  ),
  'labels:setMvsa': channel<Label>()(
    object({
      segmentId: int,
      annotator: str,
      values: mvsaValues,
      notes: optional(str),
      questionable: optional(bool),
    }),
  ),

  /** Removes one human label (undo of a first label on a segment). */
  'labels:delete': channel<void>()(object({ labelId: int })),

  /** Agreement between the project's annotators (refused with fewer than two, or no shared item). */
  'agreement:report': channel<AgreementReport>()(object({ scheme: oneOf('mosi', 'mvsa') })),
  /** Segments two or more annotators labelled, largest disagreement first. */
  'adjudication:queue': channel<ReviewItem[]>()(object({ scheme: oneOf('mosi', 'mvsa') })),
  /** The adjudicator's final label, stored apart from the annotators' labels. */
  'adjudication:setMosi': channel<Adjudication>()(object({ segmentId: int, adjudicator: str, values: mosiValues, notes: optional(str) })),
  'adjudication:setMvsa': channel<Adjudication>()(object({ segmentId: int, adjudicator: str, values: mvsaValues, notes: optional(str) })),
  'adjudication:clear': channel<void>()(object({ segmentId: int, scheme: oneOf('mosi', 'mvsa') })),

  'predictions:list': channel<Prediction[]>()(object({ mediaId: int })),
  /**
   * "Label next" (src/core/services/label-queue.ts, as `sentiscope queue`): unlabelled
   * segments by the uncertainty of their latest prediction, in bands. Only reads: a
   * suggestion becomes a label only through 'labels:setMosi', on the user's action.
   */
  'queue:list': channel<LabelQueue>()(object({ n: optional(int), model: optional(str) })),

  /** Every annotator's rating trace of a media item (live mode, 10 Hz grid; src/shared/trace.ts). */
  'traces:list': channel<Trace[]>()(object({ mediaId: int })),
  /**
   * One take: the annotator's samples with start <= time <= end are replaced by `samples` (on
   * the 10 Hz grid, values in [-3, 3]), in one transaction. Undo writes `previous` back over the same span.
   */
  'traces:replace': channel<TraceReplaced>()(
    object({ mediaId: int, annotator: str, start: num, end: num, samples: array(object({ time: num, value: num })) }),
  ),

  /**
   * Analysis jobs ([Note: resumable analysis]): 'analysis:start' queues one media item
   * (segments: its own, else VAD) and answers at once; the page polls 'analysis:status'
   * (all jobs, or one) while a job runs; 'analysis:cancel' stops one, keeping what it saved.
   * `asr` names an added speech recognizer (a Whisper folder's id on the Models page): it
   * transcribes the segments without text first, in `language` (default English).
   */
  'analysis:start': channel<AnalysisJobStatus>()(
    object({
      mediaId: int,
      model: optional(str),
      segmentation: optional(oneOf(...ITEM_SEGMENTATION_MODES)),
      asr: optional(object({ model: str, language: optional(str) })),
    }),
  ),
  'analysis:status': channel<AnalysisJobStatus[]>()(object({ jobId: optional(str) })),
  'analysis:cancel': channel<AnalysisJobStatus>()(object({ jobId: str })),

  /**
   * Models ([Note: offline by default] in src/core/models/model-download.ts): the shipped
   * and added packs and the component models; add a pack from a folder (checked before it
   * is copied); remove an added one; download one by id from a model index the user names
   * (there is no default index), polled with 'models:downloadStatus'.
   */
  'models:list': channel<ModelsOverview>()(none),
  'models:add': channel<InstalledModel>()(object({ path: str })),
  'models:remove': channel<void>()(object({ id: str })),
  'models:download': channel<ModelDownloadStatus>()(object({ indexUrl: str, id: str })),
  'models:downloadStatus': channel<ModelDownloadStatus[]>()(object({ jobId: optional(str) })),
  'models:downloadCancel': channel<ModelDownloadStatus>()(object({ jobId: str })),
  /**
   * The catalog of recommended models (src/shared/recommended-models.ts, or SENTISCOPE_CATALOG's
   * file), each marked installed or not; 'models:get' fetches one from the Hub on the user's
   * click only, as a download polled and cancelled like 'models:download'.
   */
  'models:catalog': channel<CatalogListing[]>()(none),
  'models:get': channel<ModelDownloadStatus>()(object({ id: str })),
  /**
   * "Refit on my labels" (src/core/models/refit-pack.ts in a worker thread): 'refit:start'
   * refits the open project's consensus human labels into a new pack `id` and answers at
   * once; the page polls 'refit:status' (stage, fold k of n) and may 'refit:cancel' (nothing
   * is installed). 'refit:curve' is an installed refit pack's learning curve (null for others).
   */
  'refit:start': channel<RefitJobStatus>()(
    object({ id: str, from: optional(str), folds: optional(int), seed: optional(int), force: optional(bool) }),
  ),
  'refit:status': channel<RefitJobStatus[]>()(object({ jobId: optional(str) })),
  'refit:cancel': channel<RefitJobStatus>()(object({ jobId: str })),
  'refit:curve': channel<LearningCurve | null>()(object({ id: str })),

  'io:import': channel<ImportReport>()(
    object({
      format: oneOf(...IMPORT_FORMATS),
      path: str,
      mediaId: optional(int),
      annotator: optional(str),
    }),
  ),
  'io:export': channel<ExportReport>()(
    object({
      format: oneOf(...EXPORT_FORMATS),
      path: str,
      mediaIds: optional(array(int)),
      annotator: optional(str),
      aggregate: optional(oneOf(...EXPORT_AGGREGATES)),
      minAnnotators: optional(int),
    }),
  ),
};

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNELS = Object.keys(contract) as ChannelName[];

export type RequestOf<C extends ChannelName> = Contract[C] extends Channel<infer Req, unknown> ? Req : never;
export type ResponseOf<C extends ChannelName> = Contract[C] extends Channel<unknown, infer Res> ? Res : never;

/** What the core implements once, and every shell serves. */
export type ContractHandlers = {
  [C in ChannelName]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** What the renderer calls: `api.invoke('media:list', undefined)`. */
export interface ContractClient {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** URL the renderer's <video>/<audio> elements load a media item's bytes from. */
  mediaUrl(mediaId: number): string;
}

export function isChannel(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export function validateRequest<C extends ChannelName>(name: C, input: unknown): RequestOf<C> {
  return contract[name].validate(input, '') as RequestOf<C>;
}
