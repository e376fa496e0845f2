// The one typed contract between the renderer and the core services.
// [Note: one contract, three shells] The Electron main process registers an IPC
// handler for each channel here, the preload exposes exactly these channels, and the
// loopback server (browser mode) answers `POST /api/<channel>` for them — all three
// loop over `CHANNELS`, so nothing outside this map is reachable (an allow-list by
// construction). Requests are validated here; responses come from our own code.

import type {
  Label,
  Media,
  MosiLabelValues,
  MvsaLabelValues,
  Prediction,
  Project,
  Segment,
} from './domain';
import {
  array,
  bool,
  int,
  none,
  nullable,
  num,
  object,
  oneOf,
  optional,
  str,
  type Validator,
} from './validate';

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

export type ImportFormat = 'mosi' | 'mvsa' | 'segments' | 'srt' | 'vtt';
export type ExportFormat = 'mosi' | 'mvsa' | 'segments';

export interface ImportReport {
  format: ImportFormat;
  file: string;
  mediaCreated: number;
  segments: number;
  labels: number;
}

export interface ExportReport {
  format: ExportFormat;
  file: string;
  rows: number;
  /** MVSA only: posts left out because text and image labels conflict. */
  skippedConflicts: number;
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

  'media:add': channel<Media>()(object({ path: str })),
  'media:list': channel<Media[]>()(none),
  'media:peaks': channel<WaveformPeaks>()(object({ mediaId: int, peaksPerSecond: optional(int) })),

  'segments:list': channel<Segment[]>()(object({ mediaId: int })),
  'segments:create': channel<Segment>()(
    object({ mediaId: int, start: num, end: num, text: optional(str) }),
  ),
  'segments:update': channel<Segment>()(
    object({ segmentId: int, start: optional(num), end: optional(num), text: optional(str) }),
  ),
  'segments:delete': channel<void>()(object({ segmentId: int })),

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

  'predictions:list': channel<Prediction[]>()(object({ mediaId: int })),

  'io:import': channel<ImportReport>()(
    object({
      format: oneOf('mosi', 'mvsa', 'segments', 'srt', 'vtt'),
      path: str,
      mediaId: optional(int),
      annotator: optional(str),
    }),
  ),
  'io:export': channel<ExportReport>()(
    object({
      format: oneOf('mosi', 'mvsa', 'segments'),
      path: str,
      mediaIds: optional(array(int)),
      annotator: optional(str),
    }),
  ),
};

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNELS = Object.keys(contract) as ChannelName[];

export type RequestOf<C extends ChannelName> =
  Contract[C] extends Channel<infer Req, unknown> ? Req : never;
export type ResponseOf<C extends ChannelName> =
  Contract[C] extends Channel<unknown, infer Res> ? Res : never;

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
