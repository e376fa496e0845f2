// The contract over the loopback server (browser mode): POST /api/<channel>, with the
// token in the HttpOnly cookie the server set when the page was opened.

import type { ContractClient } from '../../../shared/contract';
import { deserializeError, SentiscopeError, type SerializedError } from '../../../shared/errors';

interface HttpReply {
  result?: unknown;
  error?: SerializedError;
}

export function createHttpClient(baseUrl = ''): ContractClient {
  return {
    async invoke(channel, request) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: request === undefined ? undefined : JSON.stringify(request),
        });
      } catch (err) {
        throw new SentiscopeError(
          'internal',
          `Sentiscope server unreachable (${err instanceof Error ? err.message : String(err)}): is \`sentiscope serve\` still running?`,
        );
      }
      let reply: HttpReply;
      try {
        reply = (await response.json()) as HttpReply;
      } catch {
        throw new SentiscopeError('internal', `the server answered ${channel} with ${response.status} and no JSON`);
      }
      if (reply.error) throw deserializeError(reply.error);
      if (!response.ok) throw new SentiscopeError('internal', `the server answered ${channel} with ${response.status}`);
      return reply.result as never;
    },
    mediaUrl: (mediaId) => `${baseUrl}/media/${mediaId}`,
  };
}
