// Project file versions: fresh files get the latest schema, reopening changes nothing,
// newer or foreign files are refused untouched, and a failing migration rolls back.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SentiscopeError } from '../../src/shared/errors';
import { ProjectStore } from '../../src/core/store';
import { LATEST_VERSION, MIGRATIONS, SENTISCOPE_APPLICATION_ID, migrate } from '../../src/core/store/migrations';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sentiscope-store-migrations-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function header(file: string): { userVersion: number; applicationId: number; journalMode: string; schema: string } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      userVersion: db.pragma('user_version', { simple: true }) as number,
      applicationId: db.pragma('application_id', { simple: true }) as number,
      schema: (db.prepare(`SELECT group_concat(sql, ';') AS s FROM sqlite_schema`).get() as { s: string | null }).s ?? '',
    };
  } finally {
    db.close();
  }
}

function errorOf(fn: () => unknown): SentiscopeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SentiscopeError);
    return err as SentiscopeError;
  }
  throw new Error('expected a SentiscopeError, nothing was thrown');
}

describe('migrations', () => {
  it('gives a fresh project the latest version, and reopening is a no-op', () => {
    const file = path.join(tmp, 'fresh.sentiscope');
    const store = ProjectStore.open(file);
    const media = store.addMedia({ name: 'a' });
    store.close();
    const first = header(file);
    expect(first.userVersion).toBe(LATEST_VERSION);
    expect(first.userVersion).toBe(MIGRATIONS.length);
    expect(first.applicationId).toBe(SENTISCOPE_APPLICATION_ID);
    expect(first.journalMode).toBe('wal');
    expect(first.schema).toContain('CREATE TABLE label');

    const again = ProjectStore.open(file);
    expect(again.listMedia()).toEqual([media]);
    again.close();
    expect(header(file)).toEqual(first);

    const db = new Database(file);
    expect(migrate(db, file)).toEqual([]);
    db.close();
  });

  it('refuses a project made by a newer Sentiscope, naming the file, and leaves it as it was', () => {
    const file = path.join(tmp, 'newer.sentiscope');
    ProjectStore.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const before = header(file);

    const err = errorOf(() => ProjectStore.open(file));
    expect(err.code).toBe('bad-file');
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/newer Sentiscope.*upgrade/);
    expect(header(file)).toEqual(before);
  });

  it('refuses a file that is not SQLite, naming it, without touching it', () => {
    const file = path.join(tmp, 'notes.txt');
    const content = 'video_id,clip_id,text\nabc,1,hello\n'.repeat(20);
    fs.writeFileSync(file, content);

    const err = errorOf(() => ProjectStore.open(file));
    expect(err.code).toBe('bad-file');
    expect(err.message).toBe(`${file} is not a Sentiscope project (not a SQLite database); choose another file`);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it("refuses another program's SQLite database without touching it", () => {
    const file = path.join(tmp, 'other-app.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine')`);
    db.close();
    const before = header(file);
    expect(before.journalMode).toBe('delete');

    const err = errorOf(() => ProjectStore.open(file));
    expect(err.code).toBe('bad-file');
    expect(err.message).toContain(file);
    expect(err.message).toContain('another program');
    expect(header(file)).toEqual(before);
  });

  it('rolls a failing migration back entirely, then applies a fixed one', () => {
    const file = path.join(tmp, 'upgrade.sentiscope');
    const store = ProjectStore.open(file);
    store.addMedia({ name: 'keep me' });
    store.close();

    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: 'add media notes',
        sql: `ALTER TABLE media ADD COLUMN notes TEXT; INSERT INTO nowhere VALUES (1);`,
      },
    ];
    const db = new Database(file);
    const err = errorOf(() => migrate(db, file, broken));
    expect(err.message).toContain(file);
    expect(err.message).toContain(`format ${LATEST_VERSION + 1}`);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('media')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('notes');

    const fixed = [
      ...MIGRATIONS,
      { version: LATEST_VERSION + 1, name: 'add media notes', sql: `ALTER TABLE media ADD COLUMN notes TEXT;` },
    ];
    expect(migrate(db, file, fixed)).toEqual([LATEST_VERSION + 1]);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    expect(db.prepare(`SELECT name FROM media`).all()).toEqual([{ name: 'keep me' }]);
    db.close();

    // This build only knows up to LATEST_VERSION, so the upgraded file is now "newer".
    expect(errorOf(() => ProjectStore.open(file)).message).toMatch(/newer Sentiscope/);
  });

  it('refuses a migration list that is not numbered 1, 2, 3, ...', () => {
    const db = new Database(':memory:');
    const skipped = [...MIGRATIONS, { version: LATEST_VERSION + 2, name: 'gap', sql: '' }];
    expect(errorOf(() => migrate(db, ':memory:', skipped)).code).toBe('internal');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });
});
