// `GET /media/<mediaId>`: a media item's bytes for <video>/<audio>, answering Range with
// 206 so the browser can seek (the same byte-range code backs Electron's media://).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { openMediaResponse } from '../core/media/byte-range';
import { SentiscopeError } from '../shared/errors';
import { SECURITY_HEADERS, sendError } from './http-replies';

export type ResolveMediaPath = (mediaId: number) => string | Promise<string>;

export async function handleMediaRequest(
  req: IncomingMessage,
  res: ServerResponse,
  idText: string,
  resolveMediaPath: ResolveMediaPath,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendError(res, new SentiscopeError('bad-request', 'media bytes are read with GET'), 405);
    return;
  }
  if (!/^\d{1,15}$/.test(idText)) {
    sendError(res, new SentiscopeError('bad-request', `"${idText}" is not a media id: use /media/<number>`));
    return;
  }
  try {
    const path = await resolveMediaPath(Number(idText));
    const answer = await openMediaResponse(path, req.headers.range);
    res.writeHead(answer.status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache', ...answer.headers });
    if (!answer.body || req.method === 'HEAD') {
      destroyBody(answer.body);
      res.end();
      return;
    }
    const body = answer.body;
    // A <video> element drops its request on every seek: stop reading the file then.
    res.on('close', () => destroyBody(body));
    body.on('error', () => res.destroy());
    body.pipe(res);
  } catch (err) {
    if (res.headersSent) res.destroy();
    else sendError(res, err);
  }
}

function destroyBody(body: NodeJS.ReadableStream | null): void {
  const destroy = (body as { destroy?: () => void } | null)?.destroy;
  if (typeof destroy === 'function') destroy.call(body);
}
