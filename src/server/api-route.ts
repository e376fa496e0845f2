// `POST /api/<channel>`: the contract over HTTP. [Note: one contract, three shells]
// Only channels in the contract answer; the body is validated before a handler sees it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isChannel, validateRequest, type ContractHandlers } from '../shared/contract';
import { SentiscopeError } from '../shared/errors';
import { sendError, sendJson } from './http-replies';

/** Requests are small JSON objects (paths, ids, labels); anything bigger is a mistake. */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  channelName: string,
  handlers: ContractHandlers,
): Promise<void> {
  if (!isChannel(channelName)) {
    sendError(res, new SentiscopeError('not-found', `no such channel "${channelName}" in the contract`), 404);
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, new SentiscopeError('bad-request', `call /api/${channelName} with POST`), 405);
    return;
  }
  // Forces a CORS preflight on cross-origin calls, which this server never approves.
  const contentType = req.headers['content-type'] ?? '';
  const body = await readBody(req);
  if (body === 'too-large') {
    sendError(res, new SentiscopeError('bad-request', `request body over ${MAX_BODY_BYTES} bytes: send paths, not file contents`), 413);
    return;
  }
  let input: unknown = undefined;
  if (body.length > 0) {
    if (!/^application\/json\b/i.test(contentType)) {
      sendError(res, new SentiscopeError('bad-request', 'send the request as Content-Type: application/json'), 415);
      return;
    }
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      sendError(res, new SentiscopeError('bad-request', `request body of /api/${channelName} is not valid JSON`), 400);
      return;
    }
  }
  try {
    const request = validateRequest(channelName, input);
    const call = handlers[channelName] as (request: unknown) => unknown;
    const result = await call(request);
    sendJson(res, 200, { result });
  } catch (err) {
    sendError(res, err);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
