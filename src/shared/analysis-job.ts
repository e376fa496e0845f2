// Analysis jobs as every layer sees them: what to analyse, the progress events a running
// job sends, and a job's status. Pure data (they cross worker, IPC and HTTP boundaries).

import type { Device } from './devices';
import type { SerializedError } from './errors';

/** How a job finds the segments it predicts. 'auto': the transcript if given, else the media's segments, else VAD. */
export type SegmentationMode = 'auto' | 'vad' | 'transcript' | 'existing';
export const SEGMENTATION_MODES: readonly SegmentationMode[] = ['auto', 'vad', 'transcript', 'existing'];
/** The modes of a project's media item analysed without a transcript file ('analysis:start'). */
export const ITEM_SEGMENTATION_MODES = SEGMENTATION_MODES.filter((m): m is Exclude<SegmentationMode, 'transcript'> => m !== 'transcript');

export type AnalysisDevice = Device;

/** Speech recognition for segments without text (`analyze --asr DIR`). */
export interface AnalysisAsrSpec {
  /** A Whisper model folder. */
  model: string;
  /** A language code the model knows ("en", "zh"); default English. */
  language?: string;
  device?: AnalysisDevice;
  threads?: number;
}

export interface AnalysisJobSpec {
  /** The project file the job writes to (the job opens its own connection). */
  projectPath: string;
  /** A media item of the project, or... */
  mediaId?: number;
  /** ...a file, added to the project first (an item with the same path is reused). */
  file?: string;
  /** An SRT or WebVTT file: its cues become the segments, with their text. */
  transcript?: string;
  segmentation?: SegmentationMode;
  /** Pack id or folder; default the default pack. */
  model?: string;
  /** Transcribe the segments that have no text before predicting. */
  asr?: AnalysisAsrSpec;
  device?: AnalysisDevice;
  threads?: number;
}

/** In order; a job's events never go back to an earlier stage. */
export type AnalysisStage = 'queued' | 'probe' | 'segment' | 'analyze' | 'done' | 'cancelled' | 'failed';
export const ANALYSIS_STAGES: readonly AnalysisStage[] = ['queued', 'probe', 'segment', 'analyze', 'done', 'cancelled', 'failed'];

export interface AnalysisProgress {
  jobId: string;
  mediaId: number | null;
  /** The media's name (or the file while it is not added yet). */
  media: string;
  stage: AnalysisStage;
  /** Work done in this stage: seconds scanned ('segment'), segments predicted ('analyze'). */
  done: number;
  total: number;
  /** The whole job, 0..100, never decreasing. */
  percent: number;
  /** Seconds left for the whole job; null until it can be estimated. */
  etaSeconds: number | null;
}

export type JobState = 'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export interface AnalysisSummary {
  mediaId: number;
  media: string;
  model: { id: string; version: string };
  segmentation: Exclude<SegmentationMode, 'auto'>;
  segments: number;
  /** Segments created by this run (0 when the segments existed: a resumed job reuses them). */
  segmentsCreated: number;
  predicted: number;
  /** Segments that already had a prediction of this model (id + version). */
  skipped: number;
  /** Per modality, how many predicted segments lacked it. */
  absent: { text: number; audio: number; visual: number };
  /** Wall seconds per stage. */
  seconds: Record<string, number>;
  /** worker_threads threadId of the thread that ran the job (0: a process's main thread). */
  threadId: number;
}

export interface AnalysisJobStatus {
  jobId: string;
  spec: AnalysisJobSpec;
  state: JobState;
  progress: AnalysisProgress;
  /** "cpu (webgpu unavailable: ...)": the execution provider and why others were passed over. */
  provider: string | null;
  model: { id: string; version: string } | null;
  /** Notes the job made (absent modalities, reused segments), oldest first. */
  notes: string[];
  error: SerializedError | null;
  summary: AnalysisSummary | null;
}
