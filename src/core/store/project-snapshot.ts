// A consistent copy of a project file, taken without writing to it: what combining reads
// (the sources) and where it writes (a copy of the target renamed into place). Refuses a
// file that is not a project of this schema version, or whose pages are damaged, by name.

import fs from 'node:fs';
import { SentiscopeError } from '../../shared/errors';
import { openDatabaseReadOnly, type Db } from './connection';
import { LATEST_VERSION, checkProjectFile, schemaVersion } from './migrations';

function checkReadable(db: Db, file: string): void {
  checkProjectFile(db, file);
  const version = schemaVersion(db);
  if (version !== LATEST_VERSION) {
    throw new SentiscopeError(
      'bad-file',
      `${file} is project format ${version}, this Sentiscope combines format ${LATEST_VERSION} only; open it once in this Sentiscope to update it, then combine again`,
      file,
    );
  }
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
  } catch (err) {
    problems = [err instanceof Error ? err.message : String(err)];
  }
  if (problems.length) {
    throw new SentiscopeError('bad-file', `${file} is damaged (${problems[0]}); restore it from a backup and combine again`, file);
  }
}

/** Copies `file` (with what its write-ahead log holds) to `dest`, which must not exist. */
export function snapshotProject(file: string, dest: string): void {
  const db = openDatabaseReadOnly(file);
  try {
    checkReadable(db, file);
    try {
      db.prepare('VACUUM INTO ?').run(dest);
    } catch (err) {
      fs.rmSync(dest, { force: true });
      const why = err instanceof Error ? err.message : String(err);
      throw new SentiscopeError('bad-file', `${file} could not be read whole (${why}); restore it from a backup and combine again`, file);
    }
  } finally {
    db.close();
  }
}
