// A log file per run (desktop main, `sentiscope serve`, workers that report through them)
// in the user data folder: every failed contract call with its code, the file it names and
// the stack, so a bug report can carry the log instead of a screenshot of a banner. The
// page shows only the message; the stack lives here.
//
// Lines are appended synchronously: a run that crashes still leaves what it logged. Only
// the newest KEEP_RUNS files are kept.

import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { serializeError } from '../../shared/errors';

const KEEP_RUNS = 20;

export interface RunLog {
  /** The log file; null when the folder could not be written (logging never fails a call). */
  readonly path: string | null;
  note(message: string): void;
  /** A failure, with its stack when it was a bug (code `internal`) or had one. */
  error(where: string, err: unknown): void;
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function pruneOldRuns(dir: string): void {
  const logs = readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort();
  for (const name of logs.slice(0, Math.max(0, logs.length - KEEP_RUNS))) rmSync(join(dir, name), { force: true });
}

/** Opens `<dataDir>/logs/<time>-<process>-<pid>.log` for this run. */
export function openRunLog(dataDir: string, processName: string): RunLog {
  const dir = join(dataDir, 'logs');
  let path: string | null = join(dir, `${stamp(new Date())}-${processName}-${process.pid}.log`);
  try {
    mkdirSync(dir, { recursive: true });
    pruneOldRuns(dir);
    appendFileSync(path, `${new Date().toISOString()} start ${processName} pid ${process.pid} node ${process.version}\n`);
  } catch {
    path = null;
  }
  const write = (line: string) => {
    if (path === null) return;
    try {
      appendFileSync(path, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // A full disk must not turn a failed call into a crash.
    }
  };
  return {
    get path() {
      return path;
    },
    note: (message) => write(message),
    error: (where, err) => {
      const e = serializeError(err);
      const head = `error ${where}: [${e.code}] ${e.message}${e.file ? ` (file: ${e.file})` : ''}`;
      write(e.stack ? `${head}\n${e.stack.replace(/^/gm, '    ')}` : head);
    },
  };
}

/** The same handlers, with every failure written to the run log before it is passed on. */
export function loggingFailures<T extends object>(handlers: T, log: RunLog): T {
  const wrapped = { ...handlers } as Record<string, unknown>;
  for (const [name, handler] of Object.entries(handlers)) {
    if (typeof handler !== 'function' || !name.includes(':')) continue;
    wrapped[name] = async (request: unknown) => {
      try {
        return await (handler as (r: unknown) => unknown).call(handlers, request);
      } catch (err) {
        log.error(name, err);
        throw err;
      }
    };
  }
  return wrapped as T;
}
