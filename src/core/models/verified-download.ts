// One file fetched over HTTP and checked against the size and checksum its listing gives
// (a Sentiscope model index, or the Hugging Face Hub's metadata for a revision): streamed to
// disk while it is hashed, so a wrong, short or broken download is refused by name. With
// `resume`, a partial file left by an earlier try is continued with an HTTP Range request.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SentiscopeError } from '../../shared/errors';

export interface ExpectedFile {
  /** Where the file goes, relative and '/'-separated: what messages name. */
  path: string;
  bytes: number;
  /**
   * 'sha256' of the content (an index entry; a Hub file kept in LFS), or 'git-blob': git's
   * sha1 of "blob <size>\0" + content, all the Hub lists for a small file kept in git.
   */
  checksum: { kind: 'sha256' | 'git-blob'; value: string };
}

export interface FetchFileOptions {
  signal?: AbortSignal;
  /** Bytes of this file now on disk and checked so far (a resumed part counts at once). */
  onBytes?: (n: number) => void;
  /** Continue a partial `dest` with a Range request instead of starting over. */
  resume?: boolean;
  /** What lists the size and checksum, for messages: "the model index", "the Hub". */
  listing: string;
  /** What to do after a broken connection or a full disk, for messages. */
  retry: string;
}

export function httpUrl(spec: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(spec, base);
  } catch {
    throw new SentiscopeError('bad-request', `"${spec}" is not a URL. Give an http:// or https:// address.`, spec);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SentiscopeError('bad-request', `${url.href}: only http:// and https:// downloads are supported.`, url.href);
  }
  return url;
}

export function causeOf(err: unknown): string {
  const cause = (err as { cause?: { message?: string; code?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}

export function cancelled(where: string): SentiscopeError {
  return new SentiscopeError('bad-request', `The download from ${where} was cancelled; nothing was installed.`, where);
}

/** GET that turns no network and a non-2xx answer into one-line errors naming `what`. */
export async function httpGet(
  url: URL,
  what: string,
  options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal: options.signal, headers: options.headers, redirect: 'follow' });
  } catch (err) {
    if (options.signal?.aborted) throw cancelled(url.href);
    throw new SentiscopeError(
      'file-unreadable',
      `Could not reach ${url.href} (${causeOf(err)}) while fetching ${what}. Check the address and the network.`,
      url.href,
    );
  }
  // 416 answers a Range past the end, which the caller handles.
  if (!res.ok && !(res.status === 416 && options.headers?.Range)) {
    await res.body?.cancel().catch(() => undefined);
    throw new SentiscopeError(
      'file-unreadable',
      `${url.href} answered HTTP ${res.status} ${res.statusText} for ${what}. Check the address.`,
      url.href,
    );
  }
  return res;
}

function newHash(file: ExpectedFile): Hash {
  if (file.checksum.kind === 'sha256') return createHash('sha256');
  return createHash('sha1').update(`blob ${file.bytes}\0`);
}

/** Feeds the first `bytes` of `path` into `hash` (the part an earlier try wrote). */
async function hashPrefix(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function writeError(err: unknown, file: ExpectedFile, dest: string, retry: string): SentiscopeError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is used up' : (err as Error).message;
  return new SentiscopeError('file-unreadable', `Could not write ${file.path} to ${dest}: ${why}. Nothing was installed; ${retry}`, dest);
}

/** One chunk written and flushed; a write error (ENOSPC) rejects instead of crashing the stream. */
function write(out: WriteStream, chunk: Uint8Array): Promise<void> {
  return new Promise((ok, fail) => out.write(chunk, (err) => (err ? fail(err) : ok())));
}

function close(out: WriteStream): Promise<void> {
  return new Promise((ok, fail) => (out.destroyed ? ok() : out.end((err?: Error | null) => (err ? fail(err) : ok()))));
}

/**
 * Fetches `url` into `dest` and checks its size and checksum against `file`. With `resume`, a
 * shorter `dest` is continued from where it stops (a server that ignores Range is read from
 * the start); a `dest` already whole and right is kept as it is. A checksum mismatch removes
 * `dest`; a broken connection leaves it for the next try when resuming, and removes it otherwise.
 */
export async function fetchVerifiedFile(url: URL, dest: string, file: ExpectedFile, options: FetchFileOptions): Promise<void> {
  const { signal, onBytes = () => undefined, resume = false, listing, retry } = options;
  await mkdir(dirname(dest), { recursive: true });
  let have = resume && existsSync(dest) ? statSync(dest).size : 0;
  if (have > file.bytes) {
    await rm(dest, { force: true });
    have = 0;
  }
  let hash = newHash(file);
  if (have > 0) await hashPrefix(dest, hash);
  let res: Response | null = null;
  if (have < file.bytes) {
    res = await httpGet(url, file.path, { signal, headers: have > 0 ? { Range: `bytes=${have}-` } : undefined });
    const from = res.status === 206 ? Number(/^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1]) : 0;
    if (res.status === 200 && have > 0) {
      // The server ignored the Range: this answer is the whole file, read from the start.
      await rm(dest, { force: true });
      have = 0;
      hash = newHash(file);
    } else if (res.status === 416 || (res.status === 206 && from !== have)) {
      // The server cannot continue this part: start the file over.
      await res.body?.cancel().catch(() => undefined);
      await rm(dest, { force: true });
      have = 0;
      hash = newHash(file);
      res = await httpGet(url, file.path, { signal });
    }
    if (!res.body) throw new SentiscopeError('file-unreadable', `${url.href} sent no body for ${file.path}.`, url.href);
  }
  onBytes(have);
  let received = have;
  if (res?.body) {
    const out = createWriteStream(dest, { flags: have > 0 ? 'a' : 'w' });
    // Write errors reach the write and end callbacks; this only keeps them from being uncaught.
    out.on('error', () => undefined);
    let failure: unknown = null;
    try {
      const reader = res.body.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          if (signal?.aborted) throw cancelled(url.href);
          throw new SentiscopeError(
            'file-unreadable',
            `The download of ${file.path} from ${url.href} broke off after ${received} of ${file.bytes} bytes (${causeOf(err)}). Nothing was installed; ${retry}`,
            url.href,
          );
        }
        if (chunk.done) break;
        received += chunk.value.byteLength;
        if (received > file.bytes) {
          await reader.cancel().catch(() => undefined);
          throw new SentiscopeError(
            'bad-model',
            `${url.href} sent more than the ${file.bytes} bytes ${listing} gives for ${file.path}. Nothing was installed; check ${listing}.`,
            url.href,
          );
        }
        hash.update(chunk.value);
        try {
          await write(out, chunk.value);
        } catch (err) {
          await reader.cancel().catch(() => undefined);
          throw writeError(err, file, dest, retry);
        }
        onBytes(chunk.value.byteLength);
      }
    } catch (err) {
      failure = err;
    }
    try {
      await close(out);
    } catch (err) {
      failure ??= writeError(err, file, dest, retry);
    }
    if (failure) {
      // Only a resumable try keeps what arrived; a part too big is never worth keeping.
      if (!resume || (failure instanceof SentiscopeError && failure.code === 'bad-model')) await rm(dest, { force: true });
      throw failure;
    }
  }
  if (received !== file.bytes) {
    if (!resume) await rm(dest, { force: true });
    throw new SentiscopeError(
      'file-unreadable',
      `The download of ${file.path} from ${url.href} ended after ${received} of ${file.bytes} bytes. Nothing was installed; ${retry}`,
      url.href,
    );
  }
  const digest = hash.digest('hex');
  const expected = file.checksum.value.toLowerCase();
  if (digest !== expected) {
    await rm(dest, { force: true });
    const what = file.checksum.kind === 'sha256' ? 'sha256' : 'git blob id';
    throw new SentiscopeError(
      'bad-model',
      `Checksum mismatch for ${file.path} from ${url.href}: its ${what} is ${digest}, ${listing} says ${expected}. Nothing was installed; the file or ${listing} is wrong (the bad file was deleted, so a new try starts it afresh).`,
      url.href,
    );
  }
}
