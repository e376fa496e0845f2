// A media file's identity for caches: the same bytes give the same identity wherever the
// file lives or whatever it is called. Size plus a hash of the first and last 64 KiB, so
// a 2-hour video costs two small reads. (An edit that keeps the size and touches neither
// end is not noticed; media encoders rewrite headers or trailers, so this is rare.)

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { openMediaFile } from './media-file';

const EDGE_BYTES = 64 * 1024;

/** "<size>-<first 20 hex of sha256(head + tail)>". */
export async function fileIdentity(path: string): Promise<string> {
  const file = await openMediaFile(path);
  const handle = await open(file.path, 'r');
  try {
    const hash = createHash('sha256');
    const headLength = Math.min(EDGE_BYTES, file.size);
    const head = Buffer.alloc(headLength);
    await handle.read(head, 0, headLength, 0);
    hash.update(head);
    // The tail starts after the head, so small files are hashed once, entirely.
    const tailStart = Math.max(headLength, file.size - EDGE_BYTES);
    const tail = Buffer.alloc(file.size - tailStart);
    await handle.read(tail, 0, tail.length, tailStart);
    hash.update(tail);
    return `${file.size}-${hash.digest('hex').slice(0, 20)}`;
  } finally {
    await handle.close();
  }
}
