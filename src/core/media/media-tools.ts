// Which ffmpeg / ffprobe binaries Sentiscope runs, where they came from, and their versions.
// [Note: tool resolution order] ffmpeg: env SENTISCOPE_FFMPEG -> ffmpeg-static ->
// @ffmpeg-installer/ffmpeg -> `ffmpeg` on PATH. ffprobe: env SENTISCOPE_FFPROBE ->
// @ffprobe-installer/ffprobe -> `ffprobe` on PATH -> none (probing then parses ffmpeg's
// banner, see probe-ffmpeg.ts). SENTISCOPE_FFPROBE=none forces the no-ffprobe path.
// An npm candidate whose binary is absent or does not run is skipped; an env override
// that is wrong is an error, because the user asked for that binary explicitly.

import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type { ToolInfo } from '../../shared/contract';
import { SentiscopeError } from '../../shared/errors';

export interface MediaTools {
  ffmpeg: ToolInfo;
  /** null when no ffprobe binary is available (or SENTISCOPE_FFPROBE=none). */
  ffprobe: ToolInfo | null;
}

export interface FindMediaToolsOptions {
  env: NodeJS.ProcessEnv;
  /** Look in the npm packages (ffmpeg-static, @ffmpeg-installer, @ffprobe-installer). */
  usePackages: boolean;
}

const FFMPEG_ENV = 'SENTISCOPE_FFMPEG';
const FFPROBE_ENV = 'SENTISCOPE_FFPROBE';

let cached: MediaTools | null = null;

/** The tools this process uses, found once (see [Note: tool resolution order]). */
export function resolveMediaTools(): MediaTools {
  cached ??= findMediaTools({ env: process.env, usePackages: true });
  return cached;
}

/** Forget the cached tools, so a changed environment is seen (tests, settings changes). */
export function resetMediaTools(): void {
  cached = null;
}

/** Uncached resolution with an explicit environment. */
export function findMediaTools(options: FindMediaToolsOptions): MediaTools {
  const ffmpeg = findFfmpeg(options);
  const ffprobe = findFfprobe(options);
  return { ffmpeg, ffprobe };
}

function findFfmpeg({ env, usePackages }: FindMediaToolsOptions): ToolInfo {
  const override = env[FFMPEG_ENV];
  if (override) return fromOverride(FFMPEG_ENV, override, 'ffmpeg');

  const candidates: Array<() => ToolInfo | null> = [];
  if (usePackages) {
    candidates.push(() => fromPackage('ffmpeg-static', (m) => (typeof m === 'string' ? m : null)));
    candidates.push(() => fromPackage('@ffmpeg-installer/ffmpeg', packagePath));
  }
  candidates.push(() => fromPath('ffmpeg', env));
  for (const candidate of candidates) {
    const tool = candidate();
    if (tool) return tool;
  }
  throw new SentiscopeError(
    'tool-missing',
    'ffmpeg was not found: install it (https://ffmpeg.org/download.html, e.g. `apt install ffmpeg`, ' +
      '`brew install ffmpeg`, `winget install ffmpeg`) or set SENTISCOPE_FFMPEG to its full path',
  );
}

function findFfprobe({ env, usePackages }: FindMediaToolsOptions): ToolInfo | null {
  const override = env[FFPROBE_ENV];
  if (override && override.toLowerCase() === 'none') return null;
  if (override) return fromOverride(FFPROBE_ENV, override, 'ffprobe');
  if (usePackages) {
    const tool = fromPackage('@ffprobe-installer/ffprobe', packagePath);
    if (tool) return tool;
  }
  return fromPath('ffprobe', env);
}

function fromOverride(variable: string, path: string, name: string): ToolInfo {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new SentiscopeError(
      'tool-missing',
      `${variable} points to ${path}, which does not exist: set it to the full path of ${name} or unset it`,
      path,
    );
  }
  const version = readVersion(path);
  if (!version) {
    throw new SentiscopeError(
      'tool-missing',
      `${variable} points to ${path}, which does not run as ${name} (\`${name} -version\` failed): ` +
        `set it to a working ${name} or unset it`,
      path,
    );
  }
  return { path, version, source: `env ${variable}` };
}

function packagePath(m: unknown): string | null {
  const p = (m as { path?: unknown } | null)?.path;
  return typeof p === 'string' ? p : null;
}

/** Optional npm packages: absent, broken or unsupported on this platform -> null. */
function fromPackage(name: string, pick: (module: unknown) => string | null): ToolInfo | null {
  let path: string | null;
  try {
    const require = createRequire(import.meta.url);
    path = pick(require(name));
  } catch {
    return null;
  }
  if (!path) return null;
  path = unpackedAsarPath(path);
  if (!existsSync(path)) return null;
  const version = readVersion(path);
  return version ? { path, version, source: name } : null;
}

/** Packaged Electron apps keep binaries in app.asar.unpacked; the module reports app.asar. */
function unpackedAsarPath(path: string): string {
  if (!path.includes('app.asar')) return path;
  const unpacked = path.replace(/app\.asar(?!\.unpacked)/, 'app.asar.unpacked');
  return existsSync(unpacked) ? unpacked : path;
}

function fromPath(name: string, env: NodeJS.ProcessEnv): ToolInfo | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const path = join(dir, name + ext.toLowerCase());
      if (!existsSync(path) || !statSync(path).isFile()) continue;
      const version = readVersion(path);
      if (version) return { path, version, source: 'PATH' };
    }
  }
  return null;
}

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." -> "5.1.9-0+deb12u1"; null if it does not run. */
function readVersion(path: string): string | null {
  try {
    const out = execFileSync(path, ['-version'], {
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    return parseToolVersion(out);
  } catch {
    return null;
  }
}

export function parseToolVersion(versionOutput: string): string | null {
  const firstLine = versionOutput.split(/\r?\n/, 1)[0] ?? '';
  const match = /^ff\w+ version (\S+)/.exec(firstLine);
  return match ? match[1] : null;
}
