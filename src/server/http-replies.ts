// How the loopback server answers: security headers on every response, JSON bodies,
// and the HTTP status each error code maps to.

import type { ServerResponse } from 'node:http';
import { serializeError, type ErrorCode, type SerializedError } from '../shared/errors';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const STATUS_OF_CODE: Record<ErrorCode, number> = {
  'bad-request': 400,
  'bad-file': 422,
  'bad-model': 422,
  'bad-csv': 400,
  'file-missing': 404,
  'not-found': 404,
  'no-project': 409,
  'file-unreadable': 422,
  'not-media': 422,
  'media-corrupt': 422,
  'no-audio': 422,
  'no-video': 422,
  'unsupported-codec': 422,
  'tool-missing': 500,
  internal: 500,
};

export function statusOfError(error: SerializedError): number {
  return STATUS_OF_CODE[error.code] ?? 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** `{ error: { code, message, file } }` with the status its code maps to (or `status`). */
export function sendError(res: ServerResponse, err: unknown, status?: number): void {
  const error = serializeError(err);
  sendJson(res, status ?? statusOfError(error), { error });
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

/** A tiny page for answers a person reads in the browser (no token, no build). */
export function notePage(title: string, lines: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const body = lines.map((line) => `<p>${esc(line)}</p>`).join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body><h1>${esc(title)}</h1>\n${body}\n</body></html>\n`;
}
