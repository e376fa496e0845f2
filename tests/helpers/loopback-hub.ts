// A Hugging Face Hub in miniature on 127.0.0.1 (port 0), in the Hub's URL layout, so `models
// get` is exercised for real without the internet: one fake repo at one revision, its tree
// listing (GET /api/models/{repo}/tree/{rev}?recursive=true, paged with a Link header, each
// file with size and git blob oid, LFS files with lfs.oid = sha256), files resolved by
// revision (GET /{repo}/resolve/{rev}/{path}; LFS files redirect to /cdn/{sha256}), Range
// requests answered 206. Knobs make a file's first answer break off midway, serve a file
// with one byte changed, or drip it slowly (to interrupt it), and every file request is recorded.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CatalogModel } from '../../src/shared/recommended-models';

export interface HubRepoFile {
  /** Path in the repo ('onnx/encoder_model.onnx'). */
  path: string;
  body: Buffer;
  /** Kept in Git LFS (listed with a sha256, resolved through a CDN redirect). */
  lfs: boolean;
}

export interface HubRequest {
  path: string;
  range: string | null;
  status: number;
}

export interface LoopbackHub {
  url: string;
  repo: string;
  revision: string;
  files: HubRepoFile[];
  /** Paths whose next answer sends half of what it promises, then drops the connection (once each). */
  cutOnce: Set<string>;
  /** Paths served with one byte changed (same size). */
  corrupt: Set<string>;
  /** Paths served 16 kB every 100 ms. */
  slow: Set<string>;
  /** File requests (resolve and CDN), in order. */
  requests: HubRequest[];
  /** Tree listing requests, in order (their query strings). */
  treeRequests: string[];
  close(): Promise<void>;
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const gitBlobId = (data: Buffer): string => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');

/** The tiny Whisper folder as the Hub lays out an ONNX export: JSON at the top, ONNX files under onnx/ in LFS. */
export function tinyWhisperRepoFiles(folder: string): HubRepoFile[] {
  const json = ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
  const onnx = ['encoder_model.onnx', 'decoder_model_merged.onnx'];
  return [
    ...json.map((name) => ({ path: name, body: readFileSync(join(folder, name)), lfs: false })),
    ...onnx.map((name) => ({ path: `onnx/${name}`, body: readFileSync(join(folder, name)), lfs: true })),
  ];
}

/** A catalog entry for the hub's repo (SENTISCOPE_CATALOG), `files` defaulting to all of them. */
export function catalogEntryFor(hub: LoopbackHub, id: string, patch: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id,
    kind: 'speech-recognizer',
    repo: hub.repo,
    revision: hub.revision,
    files: hub.files.map((f) => f.path),
    bytes: hub.files.reduce((sum, f) => sum + f.body.length, 0),
    languages: ['en', 'zh'],
    multilingual: true,
    license: 'apache-2.0',
    goodFor: 'the test suite: a Whisper fitted to two MOSI clips',
    speedRtf: null,
    speedNote: 'not measured: a test fixture',
    ...patch,
  };
}

function notFound(res: ServerResponse, code: string, message: string): void {
  res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': code });
  res.end(JSON.stringify({ error: message }));
}

export async function startLoopbackHub(options: {
  repo: string;
  revision: string;
  files: HubRepoFile[];
  pageSize?: number;
}): Promise<LoopbackHub> {
  const { repo, revision, files } = options;
  const pageSize = options.pageSize ?? 3;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const bySha = new Map(files.filter((f) => f.lfs).map((f) => [sha256(f.body), f]));
  const hub: LoopbackHub = {
    url: '',
    repo,
    revision,
    files,
    cutOnce: new Set(),
    corrupt: new Set(),
    slow: new Set(),
    requests: [],
    treeRequests: [],
    close: async () => undefined,
  };

  // The listing the Hub gives: folders too, files with git oid and size, LFS files with lfs.
  const folders = [...new Set(files.flatMap((f) => (f.path.includes('/') ? [f.path.slice(0, f.path.lastIndexOf('/'))] : [])))];
  const tree = [
    ...folders.map((path) => ({ type: 'directory', oid: gitBlobId(Buffer.from(path)), size: 0, path })),
    ...files.map((f) => ({
      type: 'file',
      oid: gitBlobId(f.body),
      size: f.body.length,
      path: f.path,
      ...(f.lfs ? { lfs: { oid: sha256(f.body), size: f.body.length, pointerSize: 134 } } : {}),
    })),
  ];

  function serveContent(req: IncomingMessage, res: ServerResponse, file: HubRepoFile, headers: Record<string, string>): void {
    let body = file.body;
    if (hub.corrupt.has(file.path)) {
      body = Buffer.from(body);
      body[Math.floor(body.length / 2)] ^= 0xff;
    }
    const range = req.headers.range ?? null;
    const from = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? NaN) : 0;
    let status = 200;
    if (range) {
      if (!Number.isInteger(from) || from >= body.length) {
        hub.requests.push({ path: file.path, range, status: 416 });
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
        res.end();
        return;
      }
      status = 206;
      headers['Content-Range'] = `bytes ${from}-${body.length - 1}/${body.length}`;
    }
    hub.requests.push({ path: file.path, range, status });
    const part = body.subarray(from);
    res.writeHead(status, { ...headers, 'Content-Length': String(part.length), 'Accept-Ranges': 'bytes' });
    if (hub.cutOnce.delete(file.path)) {
      res.write(part.subarray(0, Math.floor(part.length / 2)), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    if (hub.slow.has(file.path)) {
      let at = 0;
      const drip = setInterval(() => {
        if (res.destroyed || at >= part.length) {
          clearInterval(drip);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(part.subarray(at, at + 16_384));
        at += 16_384;
      }, 100);
      res.on('close', () => clearInterval(drip));
      return;
    }
    res.end(part);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const treePrefix = `/api/models/${repo}/tree/`;
    if (req.method === 'GET' && path.startsWith('/api/models/')) {
      if (!path.startsWith(treePrefix)) return notFound(res, 'RepoNotFound', 'Repository not found');
      hub.treeRequests.push(url.search);
      if (path.slice(treePrefix.length) !== revision)
        return notFound(res, 'RevisionNotFound', `Invalid rev id: ${path.slice(treePrefix.length)}`);
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const page = tree.slice(cursor, cursor + pageSize);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (cursor + pageSize < tree.length) {
        const next = new URL(url.href);
        next.searchParams.set('cursor', String(cursor + pageSize));
        headers.Link = `<${hub.url}${next.pathname}${next.search}>; rel="next"`;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify(page));
      return;
    }
    const resolvePrefix = `/${repo}/resolve/${revision}/`;
    if (req.method === 'GET' && path.startsWith(resolvePrefix)) {
      const file = byPath.get(path.slice(resolvePrefix.length));
      if (!file) return notFound(res, 'EntryNotFound', `${path.slice(resolvePrefix.length)} does not exist on "${revision}"`);
      const headers = { 'X-Repo-Commit': revision, ETag: `"${gitBlobId(file.body)}"` };
      if (file.lfs) {
        res.writeHead(302, {
          ...headers,
          Location: `/cdn/${sha256(file.body)}`,
          'X-Linked-Etag': `"${sha256(file.body)}"`,
          'X-Linked-Size': String(file.body.length),
        });
        res.end();
        return;
      }
      return serveContent(req, res, file, headers);
    }
    if (req.method === 'GET' && path.startsWith('/cdn/')) {
      const file = bySha.get(path.slice('/cdn/'.length));
      if (!file) return notFound(res, 'EntryNotFound', 'no such object');
      return serveContent(req, res, file, { ETag: `"${sha256(file.body)}"` });
    }
    if (req.method === 'GET' && path.startsWith(`/${repo}/resolve/`)) return notFound(res, 'RevisionNotFound', 'Invalid rev id');
    notFound(res, 'RepoNotFound', 'Repository not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return hub;
}
