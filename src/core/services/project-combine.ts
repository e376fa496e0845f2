// Combining annotators' copies of a project into one team project. Media meet by file
// identity (content hash, whatever the path), else by name when one side has no file;
// segments by clip id or by time overlap (IoU >= 0.9); every annotator's labels are
// kept. The same annotator with two different labels on one segment is a conflict: the
// team's label stays and the other is listed, never chosen silently. Rating traces go by
// media and annotator: one the team lacks is taken; one that agrees on every sample both
// hold adds the samples the team lacks; one with a differing sample is a conflict and
// nothing of it is taken. Every source is
// read from a snapshot and checked before anything is written; the team file is written
// as a copy renamed into place, so a refusal or a crash leaves it as it was.

import fs from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { CombineConflict, CombineReport, CombineTraceConflict } from '../../shared/contract';
import type { Label, Media, Segment } from '../../shared/domain';
import { contiguousStretches, tickOf, type Trace, type TraceSample } from '../../shared/trace';
import { SentiscopeError } from '../../shared/errors';
import { sameSegment } from '../../shared/segment-overlap';
import { ProjectStore, snapshotProject } from '../store';

export interface CombineRequest {
  /** The team project; created when missing. */
  into: string;
  /** Annotators' projects, read and never changed. */
  sources: string[];
}

export type { CombineConflict, CombineReport, CombineTraceConflict };

function sameLabel(a: Label, b: Label): boolean {
  return JSON.stringify(a.values) === JSON.stringify(b.values) && a.notes === b.notes && a.questionable === b.questionable;
}

/** How a source's trace meets the team's: the samples the team lacks, and those both hold that differ. */
function compareTraces(kept: readonly TraceSample[], other: readonly TraceSample[]) {
  const held = new Map(kept.map((s) => [tickOf(s.time), s.value]));
  const missing: TraceSample[] = [];
  const differing: { time: number; kept: number; other: number }[] = [];
  for (const sample of other) {
    const value = held.get(tickOf(sample.time));
    if (value === undefined) missing.push(sample);
    else if (value !== sample.value) differing.push({ time: sample.time, kept: value, other: sample.value });
  }
  return { missing, differing };
}

/** Segments stored at 0–0 were imported without times: only their clip id can match them. */
const untimed = (s: Segment) => s.start === 0 && s.end === 0;

class Combiner {
  readonly report: Omit<CombineReport, 'into' | 'sources' | 'changed'> = {
    mediaMatched: 0,
    mediaAdded: 0,
    segmentsAdded: 0,
    labelsAdded: 0,
    labelsSame: 0,
    conflicts: [],
    tracesAdded: 0,
    traceSamplesAdded: 0,
    tracesSame: 0,
    traceConflicts: [],
  };

  constructor(private readonly team: ProjectStore) {}

  combine(source: ProjectStore, file: string): void {
    for (const media of source.listMedia()) {
      const target = this.matchMedia(media);
      const labels = source.listLabels(media.id);
      for (const segment of source.listSegments(media.id)) {
        const into = this.matchSegment(target, segment);
        for (const label of labels.filter((l) => l.segmentId === segment.id)) this.addLabel(target, into, label, file);
      }
      for (const trace of source.listTraces(media.id)) this.addTrace(target, trace, file);
    }
  }

  private addTrace(media: Media, trace: Trace, file: string): void {
    const held = this.team.getTrace(media.id, trace.annotator).samples;
    const { missing, differing } = compareTraces(held, trace.samples);
    if (differing.length) {
      const [first] = differing;
      this.report.traceConflicts.push({
        media: media.name,
        annotator: trace.annotator,
        differing: differing.length,
        at: first.time,
        kept: first.kept,
        other: first.other,
        file,
      });
      return;
    }
    if (!missing.length) {
      this.report.tracesSame++;
      return;
    }
    // Only ticks the team lacks are written, a stretch at a time: nothing it holds is replaced.
    for (const stretch of contiguousStretches(missing)) {
      this.team.replaceTrace({
        mediaId: media.id,
        annotator: trace.annotator,
        start: stretch[0].time,
        end: stretch.at(-1)!.time,
        samples: stretch,
      });
    }
    this.report.tracesAdded++;
    this.report.traceSamplesAdded += missing.length;
  }

  private matchMedia(media: Media): Media {
    const all = this.team.listMedia();
    const byIdentity = media.identity ? all.find((m) => m.identity === media.identity) : undefined;
    if (byIdentity) {
      this.report.mediaMatched++;
      return byIdentity;
    }
    const byName = all.find((m) => m.name === media.name);
    // A name known only from labels (no file on one side) is the same item; two different files are not.
    if (byName && (byName.identity === null || media.identity === null)) {
      this.report.mediaMatched++;
      if (byName.path === null && media.path !== null) {
        return this.team.updateMediaFile(byName.id, { path: media.path, identity: media.identity, kind: media.kind, probe: media.probe });
      }
      return byName;
    }
    this.report.mediaAdded++;
    return this.team.addMedia({
      name: byName ? uniqueName(all, media.name) : media.name,
      path: media.path,
      identity: media.identity,
      kind: media.kind,
      probe: media.probe,
    });
  }

  private matchSegment(media: Media, segment: Segment): Segment {
    const existing = this.team.listSegments(media.id);
    const sameClip = existing.find((s) => s.clipId === segment.clipId);
    if (sameClip && (untimed(sameClip) || untimed(segment) || sameSegment(segment, [sameClip]))) return sameClip;
    if (!untimed(segment)) {
      const overlapping = sameSegment(
        segment,
        existing.filter((s) => !untimed(s)),
      );
      if (overlapping) return overlapping;
    }
    this.report.segmentsAdded++;
    return this.team.createSegment({
      mediaId: media.id,
      // A clip id taken by another span gets the next free one.
      clipId: sameClip ? undefined : segment.clipId,
      start: segment.start,
      end: segment.end,
      source: segment.source,
      text: segment.text,
      words: segment.words,
      split: segment.split,
      aligned: segment.aligned,
    });
  }

  private addLabel(media: Media, segment: Segment, label: Label, file: string): void {
    const held = this.team.listLabelsForSegment(segment.id).find((l) => l.annotator === label.annotator && l.scheme === label.scheme);
    if (held && sameLabel(held, label)) {
      this.report.labelsSame++;
      return;
    }
    if (held) {
      this.report.conflicts.push({
        media: media.name,
        clipId: segment.clipId,
        annotator: label.annotator,
        scheme: label.scheme,
        kept: held.values,
        other: label.values,
        file,
      });
      return;
    }
    const input = { segmentId: segment.id, annotator: label.annotator, notes: label.notes, questionable: label.questionable };
    if (label.scheme === 'mosi') this.team.setMosiLabel({ ...input, values: label.values });
    else this.team.setMvsaLabel({ ...input, values: label.values });
    this.report.labelsAdded++;
  }
}

function uniqueName(all: readonly Media[], name: string): string {
  for (let n = 2; ; n++) {
    const candidate = `${name}_${n}`;
    if (!all.some((m) => m.name === candidate)) return candidate;
  }
}

/** A temp name beside `file`, so the final rename stays on one filesystem. */
function besideName(file: string, tag: string): string {
  return join(dirname(file), `.${basename(file)}.${tag}-${process.pid}-${Date.now()}`);
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

export function combineProjects(request: CombineRequest): CombineReport {
  const into = resolve(request.into);
  const sources = request.sources.map((s) => resolve(s));
  if (!sources.length) throw new SentiscopeError('bad-request', `Name the projects to combine into ${into}.`, into);
  const itself = sources.find((s) => s === into);
  if (itself) throw new SentiscopeError('bad-request', `${itself} is the team project itself; name the annotators' projects only.`, itself);
  const intoWal = `${into}-wal`;
  if (fs.existsSync(intoWal) && fs.statSync(intoWal).size > 0) {
    throw new SentiscopeError(
      'bad-request',
      `${into} is open in Sentiscope (or was not closed cleanly); close it, then combine again.`,
      into,
    );
  }

  const temps: string[] = [];
  try {
    // Every source is checked before anything is written.
    const snapshots = sources.map((file) => {
      const snapshot = besideName(into, 'source');
      temps.push(snapshot);
      snapshotProject(file, snapshot);
      return { file, snapshot };
    });
    const work = besideName(into, 'combine');
    temps.push(work);
    if (fs.existsSync(into)) snapshotProject(into, work);

    const team = ProjectStore.open(work, { name: basename(into, extname(into)) });
    const combiner = new Combiner(team);
    try {
      team.transaction(() => {
        for (const { file, snapshot } of snapshots) {
          const source = ProjectStore.open(snapshot);
          try {
            combiner.combine(source, file);
          } finally {
            source.close();
          }
        }
      });
    } finally {
      team.close();
    }
    const { report } = combiner;
    const changed = report.mediaAdded + report.segmentsAdded + report.labelsAdded + report.traceSamplesAdded > 0 || !fs.existsSync(into);
    if (changed) {
      fs.renameSync(work, into);
      // A stale index of the old file's log must not be read against the new one.
      fs.rmSync(`${into}-shm`, { force: true });
    }
    return { into, sources, ...report, changed };
  } finally {
    for (const temp of temps) removeDb(temp);
  }
}
