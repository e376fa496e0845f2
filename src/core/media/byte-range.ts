// Byte-range responses for the player: the Electron `media://` protocol and the loopback
// HTTP server both answer <video> requests with this. Seeking needs 206 + Content-Range,
// or the element jumps back to 0 (electron/electron#38749).

import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { openMediaFileSync } from './media-file';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface MediaResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** null for 416. */
  body: NodeJS.ReadableStream | null;
}

/**
 * Parse a Range header against a file size (RFC 9110 §14).
 * null: no Range, or one we ignore (other units, several ranges, bad syntax) -> answer 200.
 * 'unsatisfiable': a well-formed range outside the file -> answer 416.
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, first, last] = m;
  if (first === '' && last === '') return null;
  if (first === '') {
    // Suffix range: the last n bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return null; // invalid: ignored, as the RFC says
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.ogv': 'video/ogg',
  '.mpg': 'video/mpeg',
  '.mpeg': 'video/mpeg',
  '.ts': 'video/mp2t',
  '.3gp': 'video/3gpp',
  '.flv': 'video/x-flv',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
  '.weba': 'audio/webm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};

export function mediaContentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The response for a media file and the request's Range header.
 * Synchronous (a stat; the body streams lazily), so callers may use it with or without await.
 * Throws SentiscopeError (file-missing / file-unreadable) when the file cannot be served.
 */
export function openMediaResponse(path: string, rangeHeader: string | undefined): MediaResponse {
  const file = openMediaFileSync(path);
  const headers: Record<string, string> = {
    'Content-Type': mediaContentType(file.path),
    'Accept-Ranges': 'bytes',
  };
  const range = parseRangeHeader(rangeHeader, file.size);
  if (range === 'unsatisfiable') {
    return {
      status: 416,
      headers: { ...headers, 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' },
      body: null,
    };
  }
  if (range === null) {
    return {
      status: 200,
      headers: { ...headers, 'Content-Length': String(file.size) },
      body: createReadStream(file.path),
    };
  }
  return {
    status: 206,
    headers: {
      ...headers,
      'Content-Range': `bytes ${range.start}-${range.end}/${file.size}`,
      'Content-Length': String(range.end - range.start + 1),
    },
    body: createReadStream(file.path, { start: range.start, end: range.end }),
  };
}
