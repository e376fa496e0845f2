// Adding a media file to a project: probe it, fingerprint it, give it an MMSA name. It lives
// in the store layer (which reads media/ to probe) so the analysis pipeline and the services
// above it both add files the same way, and the pipeline never calls up into services/.

import { basename, extname, resolve } from 'node:path';
import type { Media, MediaKind, ProbeInfo } from '../../shared/domain';
import { fileIdentity, probeMedia } from '../media';
import type { ProjectStore } from './project-store';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.gif', '.webp', '.tif', '.tiff']);

export function mediaKindOf(path: string, probe: ProbeInfo): MediaKind {
  if (probe.video && (IMAGE_EXTENSIONS.has(extname(path).toLowerCase()) || probe.duration === 0)) {
    return 'image';
  }
  if (probe.video) return 'video';
  if (probe.audio) return 'audio';
  return 'none';
}

/** The MMSA `video_id` for a file: its base name without extension. */
export function mediaNameOf(path: string): string {
  return basename(path, extname(path));
}

/** A media file probed and fingerprinted, not yet stored. */
export interface InspectedMediaFile {
  path: string;
  name: string;
  identity: string;
  kind: MediaKind;
  probe: ProbeInfo;
}

/** Probes a file without writing anything: an unreadable or corrupt file is refused here. */
export async function inspectMediaFile(filePath: string): Promise<InspectedMediaFile> {
  const path = resolve(filePath);
  const probe = await probeMedia(path);
  const identity = await fileIdentity(path);
  return { path, name: mediaNameOf(path), identity, kind: mediaKindOf(path, probe), probe };
}

/**
 * Stores an inspected file (synchronously, so it can join a caller's transaction), or
 * returns the existing item for the same path. A name already known from an imported
 * label file without media gets this file attached, so labels imported first and the
 * video added later meet on the same segments.
 */
export function storeMediaFile(store: ProjectStore, file: InspectedMediaFile): Media {
  const existing = store.findMediaByPath(file.path);
  if (existing) return existing;
  const { path, name, identity, kind, probe } = file;
  const sameName = store.findMediaByName(name);
  if (sameName && sameName.path === null) {
    return store.updateMediaFile(sameName.id, { path, identity, kind, probe });
  }
  return store.addMedia({ name: sameName ? uniqueName(store, name) : name, path, identity, kind, probe });
}

/** Adds a file (see storeMediaFile), or returns the existing item for the same path. */
export async function addMediaFile(store: ProjectStore, filePath: string): Promise<Media> {
  const existing = store.findMediaByPath(resolve(filePath));
  if (existing) return existing;
  return storeMediaFile(store, await inspectMediaFile(filePath));
}

function uniqueName(store: ProjectStore, name: string): string {
  for (let n = 2; ; n++) {
    const candidate = `${name}_${n}`;
    if (!store.findMediaByName(candidate)) return candidate;
  }
}
