// The checks every media operation makes on a path before ffmpeg sees it, so the user is
// told "missing" or "unreadable" by name instead of a tool's error text.

import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';

export interface MediaFile {
  /** Absolute path: ffmpeg never mistakes it for an option or a protocol ("-x.mp4", "a:b.mp4"). */
  path: string;
  size: number;
}

/** Resolve and check a media path: it must exist, be a regular file and be readable. */
export async function openMediaFile(path: string): Promise<MediaFile> {
  const abs = resolve(path);
  let info: Stats;
  try {
    info = await stat(abs);
    checkKind(info, abs);
    await access(abs, constants.R_OK);
  } catch (err) {
    throw fileError(err, abs);
  }
  return { path: abs, size: info.size };
}

/** The same checks, synchronously (a stat and an access: cheap enough for a request handler). */
export function openMediaFileSync(path: string): MediaFile {
  const abs = resolve(path);
  let info: Stats;
  try {
    info = statSync(abs);
    checkKind(info, abs);
    accessSync(abs, constants.R_OK);
  } catch (err) {
    throw fileError(err, abs);
  }
  return { path: abs, size: info.size };
}

function checkKind(info: Stats, abs: string): void {
  if (info.isDirectory()) {
    throw new SentiscopeError(
      'file-unreadable',
      `${abs} is a folder, not a media file: choose a video, audio or image file inside it`,
      abs,
    );
  }
  if (!info.isFile()) {
    throw new SentiscopeError('file-unreadable', `${abs} is not a regular file: choose a video, audio or image file`, abs);
  }
}

function fileError(err: unknown, abs: string): SentiscopeError {
  if (err instanceof SentiscopeError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new SentiscopeError('file-missing', `${abs} does not exist: check the path, or locate the moved file and add it again`, abs);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new SentiscopeError(
      'file-unreadable',
      `${abs} cannot be read (permission denied): allow your user to read it or copy it to a folder you own`,
      abs,
    );
  }
  return new SentiscopeError('file-unreadable', `${abs} cannot be read (${code ?? 'unknown error'}): check the disk and the path`, abs);
}
