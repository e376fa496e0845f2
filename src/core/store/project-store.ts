// A project: one SQLite file holding media, segments, human labels and model predictions.
// Every public edit is one transaction (see [Note: durability] in connection.ts): once a
// method returns, its change is on disk and survives the process being killed.
// Bulk writers wrap many edits in store.transaction() so one bad row undoes them all.

import path from 'node:path';
import type {
  Adjudication,
  Label,
  Media,
  MosiAdjudication,
  MosiLabel,
  MvsaAdjudication,
  MvsaLabel,
  Prediction,
  Project,
  Segment,
} from '../../shared/domain';
import { AdjudicationRepo, type MosiAdjudicationInput, type MvsaAdjudicationInput } from './adjudication-repo';
import { configureConnection, openDatabase, type Db } from './connection';
import { LabelRepo, type MosiLabelInput, type MvsaLabelInput } from './label-repo';
import { MediaRepo, type MediaFile, type NewMedia } from './media-repo';
import { checkProjectFile, migrate } from './migrations';
import { PredictionRepo, type NewPrediction } from './prediction-repo';
import { toProject, type ProjectRow } from './row-mappers';
import { SegmentRepo, type NewSegment, type SegmentPatch } from './segment-repo';
import { StoreContext } from './store-context';
import { TraceRepo, type TraceReplace } from './trace-repo';
import type { Trace, TraceSample } from '../../shared/trace';

export type {
  MediaFile,
  NewMedia,
  NewSegment,
  SegmentPatch,
  MosiLabelInput,
  MvsaLabelInput,
  NewPrediction,
  MosiAdjudicationInput,
  MvsaAdjudicationInput,
  TraceReplace,
};

export interface OpenOptions {
  /** Name for a new project; defaults to the file's base name. Ignored for existing projects. */
  name?: string;
}

export class ProjectStore {
  private readonly ctx: StoreContext;
  private readonly media: MediaRepo;
  private readonly segments: SegmentRepo;
  private readonly labels: LabelRepo;
  private readonly predictions: PredictionRepo;
  private readonly adjudications: AdjudicationRepo;
  private readonly traces: TraceRepo;
  private readonly projectRow: Project;

  private constructor(
    private readonly db: Db,
    readonly path: string,
    project: Project,
  ) {
    this.ctx = new StoreContext(db, path);
    this.projectRow = project;
    this.media = new MediaRepo(this.ctx, project.id);
    this.segments = new SegmentRepo(this.ctx);
    this.labels = new LabelRepo(this.ctx);
    this.predictions = new PredictionRepo(this.ctx);
    this.adjudications = new AdjudicationRepo(this.ctx);
    this.traces = new TraceRepo(this.ctx);
  }

  /** Opens the project file, creating it (and its folder) when it does not exist. */
  static open(file: string, options: OpenOptions = {}): ProjectStore {
    const db = openDatabase(file);
    try {
      checkProjectFile(db, file);
      configureConnection(db, file);
      migrate(db, file);
      const project = db.transaction(() => {
        const existing = db.prepare(`SELECT * FROM project WHERE id = 1`).get() as ProjectRow | undefined;
        if (existing) return existing;
        const name = options.name?.trim() || path.basename(file, path.extname(file));
        return db
          .prepare(`INSERT INTO project (id, name, created_at) VALUES (1, ?, ?) RETURNING *`)
          .get(name, new Date().toISOString()) as ProjectRow;
      })();
      return new ProjectStore(db, file, toProject(project));
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  project(): Project {
    return { ...this.projectRow };
  }

  /**
   * Runs fn as one transaction: everything it changed is kept, or (if it throws) nothing.
   * Nested calls, and the edit methods called inside, become savepoints of the outer one.
   * fn must be synchronous: better-sqlite3 refuses a function that returns a promise.
   */
  transaction<T>(fn: () => T): T {
    return this.ctx.transaction(fn);
  }

  // Media

  addMedia(input: NewMedia): Media {
    return this.media.add(input);
  }
  getMedia(id: number): Media {
    return this.media.get(id);
  }
  findMediaByName(name: string): Media | null {
    return this.media.findByName(name);
  }
  findMediaByPath(filePath: string): Media | null {
    return this.media.findByPath(filePath);
  }
  listMedia(): Media[] {
    return this.media.list();
  }
  updateMediaFile(id: number, file: MediaFile): Media {
    return this.media.updateFile(id, file);
  }
  /** Removes a media item with all its segments, labels and predictions. */
  deleteMedia(id: number): void {
    this.media.delete(id);
  }

  // Segments

  createSegment(input: NewSegment): Segment {
    return this.segments.create(input, (id) => this.media.require(id));
  }
  updateSegment(id: number, patch: SegmentPatch): Segment {
    return this.segments.update(id, patch);
  }
  /** Removes a segment with its labels and predictions. */
  deleteSegment(id: number): void {
    this.segments.delete(id);
  }
  getSegment(id: number): Segment {
    return this.segments.get(id);
  }
  findSegment(mediaId: number, clipId: string): Segment | null {
    return this.segments.find(mediaId, clipId);
  }
  listSegments(mediaId: number): Segment[] {
    this.media.require(mediaId);
    return this.segments.list(mediaId);
  }

  // Labels (human)

  setMosiLabel(input: MosiLabelInput): MosiLabel {
    return this.labels.setMosi(input, (id) => this.segments.require(id));
  }
  setMvsaLabel(input: MvsaLabelInput): MvsaLabel {
    return this.labels.setMvsa(input, (id) => this.segments.require(id));
  }
  getLabel(id: number): Label {
    return this.labels.get(id);
  }
  listLabels(mediaId: number): Label[] {
    this.media.require(mediaId);
    return this.labels.listForMedia(mediaId);
  }
  listLabelsForSegment(segmentId: number): Label[] {
    this.segments.require(segmentId);
    return this.labels.listForSegment(segmentId);
  }
  deleteLabel(id: number): void {
    this.labels.delete(id);
  }

  // Adjudicated labels (the adjudicator's final label, apart from every annotator's)

  setMosiAdjudication(input: MosiAdjudicationInput): MosiAdjudication {
    return this.adjudications.setMosi(input, (id) => this.segments.require(id));
  }
  setMvsaAdjudication(input: MvsaAdjudicationInput): MvsaAdjudication {
    return this.adjudications.setMvsa(input, (id) => this.segments.require(id));
  }
  getAdjudication(segmentId: number, scheme: 'mosi' | 'mvsa'): Adjudication | null {
    this.segments.require(segmentId);
    return this.adjudications.get(segmentId, scheme);
  }
  listAdjudications(mediaId: number): Adjudication[] {
    this.media.require(mediaId);
    return this.adjudications.listForMedia(mediaId);
  }
  /** True when there was one to remove. */
  deleteAdjudication(segmentId: number, scheme: 'mosi' | 'mvsa'): boolean {
    return this.adjudications.delete(segmentId, scheme);
  }

  // Predictions (model)

  addPrediction(input: NewPrediction): Prediction {
    return this.predictions.add(input, (id) => this.segments.require(id));
  }
  /** Latest prediction per segment per model (id + version) of a media item. */
  listPredictions(mediaId: number): Prediction[] {
    this.media.require(mediaId);
    return this.predictions.listLatestForMedia(mediaId);
  }
  /** All predictions of a segment, newest first. */
  listPredictionsForSegment(segmentId: number): Prediction[] {
    this.segments.require(segmentId);
    return this.predictions.listForSegment(segmentId);
  }

  // Rating traces (live mode; per annotator, on the 10 Hz grid)

  listTraces(mediaId: number): Trace[] {
    this.media.require(mediaId);
    return this.traces.listForMedia(mediaId);
  }
  getTrace(mediaId: number, annotator: string): Trace {
    this.media.require(mediaId);
    return this.traces.get(mediaId, annotator);
  }
  /** Replaces one annotator's samples over [start, end] with a take; returns the samples it replaced. */
  replaceTrace(input: TraceReplace): TraceSample[] {
    return this.traces.replace(input, (id) => this.media.require(id));
  }
}
