// media://media/<mediaId>: a media item's bytes for <video>/<audio> in the Electron
// window, streamed from disk with Range answered by 206 — without it, seeking jumps back
// to 0 (electron/electron#38749). Big media never travels through IPC.

import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { openMediaResponse } from '../core/media/byte-range';
import { SentiscopeError, serializeError } from '../shared/errors';
import { statusOfError } from '../server/http-replies';

export const MEDIA_SCHEME = 'media';

/** Must run before the app is ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: MEDIA_SCHEME,
      // standard: media://media/12 parses with a host; secure: allowed from the app page;
      // stream: <video> can read it progressively; CSP still applies (media-src media:).
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, bypassCSP: false },
    },
  ]);
}

export function handleMediaProtocol(resolveMediaPath: (mediaId: number) => string | Promise<string>): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    try {
      const url = new URL(request.url);
      const idText = url.pathname.replace(/^\//, '');
      if (url.host !== 'media' || !/^\d{1,15}$/.test(idText)) {
        throw new SentiscopeError('bad-request', `${request.url} is not a media address: use media://media/<id>`);
      }
      const path = await resolveMediaPath(Number(idText));
      const answer = await openMediaResponse(path, request.headers.get('range') ?? undefined);
      const body = answer.body ? (Readable.toWeb(toReadable(answer.body)) as ReadableStream<Uint8Array>) : null;
      return new Response(body, { status: answer.status, headers: answer.headers });
    } catch (err) {
      const error = serializeError(err);
      return new Response(JSON.stringify({ error }), {
        status: statusOfError(error),
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    }
  });
}

function toReadable(stream: NodeJS.ReadableStream): Readable {
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
}
