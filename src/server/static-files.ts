// The built renderer (out/web) as static files, with index.html for any other page path
// (a single-page app). Paths never leave webRoot.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { notePage, SECURITY_HEADERS, sendHtml } from './http-replies';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under webRoot a URL path names, or null when it would step outside it. */
export function fileInWebRoot(webRoot: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const root = resolve(webRoot);
  const file = resolve(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export const BUILD_WEB_HINT = notePage('Sentiscope: the web app is not built', [
  'The browser build of Sentiscope (out/web/index.html) was not found.',
  'Run `npm run build:web` in the Sentiscope folder, then restart `sentiscope serve`.',
]);

export async function serveStatic(req: IncomingMessage, res: ServerResponse, urlPath: string, webRoot: string | null): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendHtml(res, 405, notePage('Method not allowed', [`${req.method} is not served here.`]));
    return;
  }
  const index = webRoot ? join(resolve(webRoot), 'index.html') : null;
  if (!index || !(await isFile(index))) {
    sendHtml(res, 503, BUILD_WEB_HINT);
    return;
  }
  const file = fileInWebRoot(webRoot as string, urlPath);
  if (file === null) {
    sendHtml(res, 404, notePage('Not found', ['That path is outside the web app.']));
    return;
  }
  let target = file;
  if (!(await isFile(file))) {
    // A missing asset is a real 404; any other path is a page of the single-page app.
    if (extname(file) !== '' && !urlPath.endsWith('.html')) {
      sendHtml(res, 404, notePage('Not found', [`${urlPath} is not part of the web app.`]));
      return;
    }
    target = index;
  }
  const { size } = await stat(target);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeOf(target),
    'Content-Length': size,
    // Vite hashes asset names, so they never change; pages must be re-read.
    'Cache-Control': target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(target);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
