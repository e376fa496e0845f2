// Running ffmpeg / ffprobe as child processes: collected output for short runs (probe),
// and fixed-size records streamed from stdout for long runs (audio samples, video frames).
// [Note: streamed decoding] Long runs never hold their whole output: stdout is read with
// backpressure (the child blocks when the consumer is slow), records are copied out one
// at a time, and a consumer that stops early (break / return) kills the child.

import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Run a tool to completion, collecting stdout and stderr as UTF-8 text. */
export function runTool(path: string, args: string[], timeoutMs = 60_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

export interface RecordStreamOptions {
  /** Bytes per record (e.g. 4 * samples per chunk, or width * height * 3 per frame). */
  recordBytes: number;
  /** Yield a final shorter record (audio) or drop it (video frames). */
  keepPartial: boolean;
  /** Turns a failed run (non-zero exit) into the error the consumer sees. */
  onFailure: (stderrTail: string, code: number | null) => Error;
}

const STDERR_TAIL_BYTES = 8192;

/**
 * Spawn a tool and yield its stdout in records of `recordBytes` (see [Note: streamed decoding]).
 * Each yielded Uint8Array owns its buffer (4-byte aligned, safe to view as Float32Array).
 */
export async function* streamToolRecords(
  path: string,
  args: string[],
  options: RecordStreamOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { recordBytes, keepPartial, onFailure } = options;
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderrTail = '';
  child.stderr.on('data', (b: Buffer) => {
    stderrTail = (stderrTail + b.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  let spawnError: Error | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });

  let record = new Uint8Array(recordBytes);
  let filled = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(recordBytes - filled, chunk.length - offset);
        record.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === recordBytes) {
          const full = record;
          record = new Uint8Array(recordBytes);
          filled = 0;
          yield full;
        }
      }
    }
    const code = await exited;
    finished = true;
    if (spawnError) throw spawnError;
    if (code !== 0) throw onFailure(stderrTail.trim(), code);
    if (keepPartial && filled > 0) yield record.slice(0, filled);
  } finally {
    // The consumer stopped early, or reading failed: do not leave the tool running.
    if (!finished && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
