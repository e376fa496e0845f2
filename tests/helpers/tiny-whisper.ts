// The tiny Whisper the ASR tests run (scripts/tiny-models/make_tiny_whisper.py), built once
// per version of the script and shared by every test file and process: it takes minutes to
// fit, so it lives in os.tmpdir()/sentiscope-tiny-whisper-<script hash>. The folder is built
// in a temp sibling and renamed into place (never seen half-written); a `.lock` folder made
// with mkdir (atomic) tells another process a build is under way, and it waits for it.

import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveMediaTools } from '../../src/core/media';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../scripts/tiny-models/make_tiny_whisper.py', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POLL_MS = 2_000;
/** A build takes 1-3 minutes on a loaded 2-core machine; a lock older than this is a dead build's. */
const STALE_LOCK_MS = 20 * 60_000;

let missing: string | null | undefined;

/** Why the tiny Whisper cannot be built here (null: it can): the script needs torch, onnx and numpy. */
export function tinyWhisperUnavailable(): string | null {
  if (missing === undefined) {
    const probe = spawnSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' });
    missing =
      probe.status === 0
        ? null
        : `${PYTHON} cannot import torch/onnx/numpy, so the tiny Whisper cannot be built; install python3-torch python3-onnx python3-numpy (Debian)`;
  }
  return missing;
}

/** os.tmpdir()/sentiscope-tiny-whisper-<first 12 hex of the script's sha256>. */
export function tinyWhisperPath(): string {
  const hash = createHash('sha256').update(readFileSync(SCRIPT)).digest('hex').slice(0, 12);
  return join(tmpdir(), `sentiscope-tiny-whisper-${hash}`);
}

const complete = (dir: string): boolean => existsSync(join(dir, 'expected.json'));

function build(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [SCRIPT, out, '--ffmpeg', resolveMediaTools().ffmpeg.path],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`make_tiny_whisper.py failed (${err.message}):\n${stdout}\n${stderr}`.slice(-4000)));
        else resolve();
      },
    );
  });
}

/** Whether the lock is left by a build that is gone (its process ended, or it is far too old). */
function staleLock(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
      }
    }
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    // No pid file yet: the owner may be between mkdir and writing it; only age tells.
    try {
      return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
    } catch {
      return false;
    }
  }
}

/**
 * The tiny Whisper folder, built on first use (by this process or another one) and reused
 * while the script is unchanged. Call tinyWhisperUnavailable() first to skip without torch.
 */
export async function tinyWhisperFolder(): Promise<string> {
  const folder = tinyWhisperPath();
  const lock = `${folder}.lock`;
  for (;;) {
    if (complete(folder)) return folder;
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!owner) {
      if (staleLock(lock)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    const staging = `${folder}.building-${process.pid}-${randomUUID().slice(0, 8)}`;
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      // Another process may have finished between our check and the lock.
      if (complete(folder)) return folder;
      // A folder without expected.json is not ours to trust (left by hand or an old layout).
      await rm(folder, { recursive: true, force: true });
      await build(staging);
      if (!complete(staging)) throw new Error(`make_tiny_whisper.py wrote no expected.json in ${staging}`);
      await rename(staging, folder);
      return folder;
    } finally {
      await rm(staging, { recursive: true, force: true });
      await rm(lock, { recursive: true, force: true });
    }
  }
}
