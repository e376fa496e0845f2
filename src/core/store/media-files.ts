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

/**
 * Adds a file, or returns the existing item for the same path. A name already known
 * from an imported label file without media gets this file attached, so labels
 * imported first and the video added later meet on the same segments.
 */
export async function addMediaFile(store: ProjectStore, filePath: string): Promise<Media> {
  const path = resolve(filePath);
  const existing = store.findMediaByPath(path);
  if (existing) return existing;

  // Probe first: an unreadable or corrupt file is refused before anything is stored.
  const probe = await probeMedia(path);
  const identity = await fileIdentity(path);
  const kind = mediaKindOf(path, probe);
  const name = mediaNameOf(path);

  const sameName = store.findMediaByName(name);
  if (sameName && sameName.path === null) {
    return store.updateMediaFile(sameName.id, { path, identity, kind, probe });
  }
  return store.addMedia({ name: sameName ? uniqueName(store, name) : name, path, identity, kind, probe });
}

function uniqueName(store: ProjectStore, name: string): string {
  for (let n = 2; ; n++) {
    const candidate = `${name}_${n}`;
    if (!store.findMediaByName(candidate)) return candidate;
  }
}
