// Opens a project file as a SQLite connection: creates its folder, refuses files that
// are not SQLite before anything is written to them, and sets the connection pragmas.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SentiscopeError } from '../../shared/errors';

export type Db = Database.Database;

/** How long a write waits for another process (the CLI beside the app) to finish its own. */
const BUSY_TIMEOUT_MS = 5000;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function notAProject(file: string, why: string): SentiscopeError {
  return new SentiscopeError('bad-file', `${file} is not a Sentiscope project (${why}); choose another file`, file);
}

let nativeBinding: string | undefined;

/**
 * The better-sqlite3 addon to load instead of the one in node_modules. The Electron main
 * process sets it to the copy built for Electron's ABI (scripts/build-electron-sqlite.mjs);
 * Node (the CLI, the tests) never does.
 */
export function useSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** Opens (or creates) the file and checks it is SQLite; sets nothing yet. */
export function openDatabase(file: string): Db {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw notAProject(file, 'it is a folder');
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (err) {
    throw new SentiscopeError('file-unreadable', `Cannot create the folder for ${file} (${messageOf(err)}); choose another location`, file);
  }

  let db: Db;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS, nativeBinding });
  } catch (err) {
    throw new SentiscopeError(
      'file-unreadable',
      `Cannot open ${file} (${messageOf(err)}); check that the file and its folder are writable`,
      file,
    );
  }

  // SQLite opens lazily: the first read of the header is what tells a foreign file apart.
  // Nothing is written here, so a refused file is left untouched.
  try {
    db.pragma('schema_version', { simple: true });
  } catch (err) {
    db.close();
    if (sqliteCode(err) === 'SQLITE_NOTADB') throw notAProject(file, 'not a SQLite database');
    throw new SentiscopeError(
      'file-unreadable',
      `Cannot read ${file} (${messageOf(err)}); check the file's permissions or restore it from a backup`,
      file,
    );
  }

  return db;
}

/** Opens an existing file for reading only: nothing is created or written, not even a journal. */
export function openDatabaseReadOnly(file: string): Db {
  if (!fs.existsSync(file)) throw new SentiscopeError('file-unreadable', `${file} does not exist; check the path`, file);
  if (fs.statSync(file).isDirectory()) throw notAProject(file, 'it is a folder');
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS, nativeBinding });
    try {
      db.pragma('schema_version', { simple: true });
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  } catch (err) {
    if (sqliteCode(err) === 'SQLITE_NOTADB' || sqliteCode(err) === 'SQLITE_CORRUPT') throw notAProject(file, 'not a SQLite database');
    throw new SentiscopeError('file-unreadable', `Cannot read ${file} (${messageOf(err)}); check the file's permissions`, file);
  }
}

/**
 * Sets the connection's pragmas. journal_mode is stored in the file, so this runs only
 * after the file was accepted as ours (see checkProjectFile in migrations.ts).
 */
export function configureConnection(db: Db, file: string): void {
  // [Note: durability]
  // Every edit is its own transaction (see ProjectStore), so a commit is the unit of "saved".
  // - journal_mode=WAL: a commit appends to `<file>-wal`; readers never block the writer, and
  //   after a crash the next open replays committed frames and drops a torn, uncommitted tail.
  // - synchronous=FULL rather than NORMAL: under WAL, NORMAL is already safe against the
  //   process being killed (the committed frames sit in the OS page cache, which outlives the
  //   process), but an OS crash or power cut may lose the last commits. Labels are hand work
  //   a user saved on purpose, so we pay one fsync per commit to survive power loss too.
  //   Interactive edits are rare enough for that to be invisible; bulk writers (importers,
  //   an analysis run) wrap their rows in one store.transaction() and pay one fsync in all.
  // journal_mode may stay 'delete' on filesystems without shared memory (some network
  // shares); the store still works there, with the same durability, just less concurrency.
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    throw new SentiscopeError(
      'file-unreadable',
      `Cannot prepare ${file} for writing (${messageOf(err)}); check that the file and its folder are writable`,
      file,
    );
  }
}
