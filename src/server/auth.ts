// Who may talk to the loopback server: a caller on this machine that holds this run's token.
// The token is random per run and reaches the browser only through the URL that
// `sentiscope serve` prints; the page then keeps it in an HttpOnly cookie.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'sentiscope_token';

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time: hashing first makes the compared buffers the same length. */
export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** Every token the request offers: a Bearer header and any `sentiscope_token` cookie. */
export function offeredTokens(req: IncomingMessage): string[] {
  const tokens: string[] = [];
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) tokens.push(match[1]);
  }
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === TOKEN_COOKIE) tokens.push(part.slice(eq + 1).trim());
  }
  return tokens;
}

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  return offeredTokens(req).some((offered) => tokensMatch(token, offered));
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * DNS-rebinding guard: a page on evil.example that re-resolves to 127.0.0.1 still sends
 * `Host: evil.example`, so only our own host names are accepted.
 */
export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Cross-site guard for calls: a browser always sends Origin on POST; it must be ours. */
export function isOwnOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true; // not a browser (curl, the CLI, tests)
  const origin = originHeader.toLowerCase();
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
