// Browser mode (`sentiscope serve`): the contract, the media bytes and the built renderer
// over HTTP on 127.0.0.1 only, behind a random per-run token.
// [Note: one contract, three shells] — the same ContractHandlers the Electron IPC serves.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractHandlers } from '../shared/contract';
import { SentiscopeError } from '../shared/errors';
import { handleApiCall } from './api-route';
import { createToken, isAuthorized, isLoopbackAddress, isOwnHost, isOwnOrigin, tokenCookie, tokensMatch } from './auth';
import { notePage, SECURITY_HEADERS, sendError, sendHtml, sendJson } from './http-replies';
import { handleMediaRequest, type ResolveMediaPath } from './media-route';
import { serveStatic } from './static-files';

export const LOOPBACK_HOST = '127.0.0.1';

export interface LoopbackServerOptions {
  handlers: ContractHandlers;
  /** The built renderer (out/web); null or a folder without index.html shows a build hint. */
  webRoot: string | null;
  resolveMediaPath: ResolveMediaPath;
  /** 0 or absent: a free port the system picks. */
  port?: number;
}

export interface LoopbackServer {
  /** What the user opens: `http://127.0.0.1:<port>/?token=...`. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const NO_TOKEN_HINT = notePage('Sentiscope: this page needs its token', [
  'Open the full address that `sentiscope serve` printed when it started (it ends with ?token=...).',
  'The token changes every time the server starts.',
]);

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const token = createToken();
  let port = 0;

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendError(res, err, 500);
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      sendError(res, new SentiscopeError('bad-request', 'only this computer may use the Sentiscope server'), 403);
      return;
    }
    if (!isOwnHost(req.headers.host, port)) {
      sendError(res, new SentiscopeError('bad-request', `open the server as http://${LOOPBACK_HOST}:${port}/ (wrong Host header)`), 403);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}:${port}`);
    const path = url.pathname;
    const isApi = path === '/api' || path.startsWith('/api/');
    const isMedia = path.startsWith('/media/');

    // First visit from the printed URL: swap the token in the query for a cookie, and
    // redirect so the token does not stay in the address bar or the history.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && !isApi && !isMedia && req.method === 'GET') {
      if (!tokensMatch(token, queryToken)) {
        sendHtml(res, 401, NO_TOKEN_HINT);
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': tokenCookie(token),
        Location: path + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    if (!isAuthorized(req, token)) {
      if (isApi || isMedia) {
        sendError(res, new SentiscopeError('bad-request', 'missing or wrong token: use the address `sentiscope serve` printed'), 401);
      } else {
        sendHtml(res, 401, NO_TOKEN_HINT);
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !isOwnOrigin(req.headers.origin, port)) {
      sendError(res, new SentiscopeError('bad-request', 'calls from other web pages are refused'), 403);
      return;
    }

    if (isApi) {
      const name = decodeSegment(path.slice('/api/'.length));
      if (name === 'ping') {
        sendJson(res, 200, { ok: true });
        return;
      }
      await handleApiCall(req, res, name ?? '', options.handlers);
      return;
    }
    if (isMedia) {
      await handleMediaRequest(req, res, path.slice('/media/'.length), options.resolveMediaPath);
      return;
    }
    await serveStatic(req, res, path, options.webRoot);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new SentiscopeError('bad-request', `port ${options.port} is already in use: pick another with --port`)
          : err,
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK_HOST}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
