// Project format 2: segments gain `aligned` (are the times trusted). A file made at format 1
// upgrades in place keeping its rows, which count as aligned; the store reads and writes
// the flag, and moving a boundary marks an estimated segment aligned.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { splitSegment, mergeSegments } from '../../src/core/services/segment-edits';
import { ProjectStore } from '../../src/core/store';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/core/store/migrations';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sentiscope-transcript-migration-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const columnsOf = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);

describe('project format 2: segment.aligned', () => {
  it('upgrades a format-1 file keeping its rows, which read as aligned', () => {
    const file = path.join(tmp, 'v1.sentiscope');
    const db = new Database(file);
    expect(migrate(db, file, [MIGRATIONS[0]])).toEqual([1]);
    db.exec(`INSERT INTO project (id, name, created_at) VALUES (1, 'old', '2024-01-01T00:00:00Z')`);
    db.exec(`INSERT INTO media (id, name, kind, added_at) VALUES (1, 'clip', 'none', '2024-01-01T00:00:00Z')`);
    db.exec(
      `INSERT INTO segment (media_id, clip_id, start_s, end_s, source, text, words_json)
       VALUES (1, '1', 0.5, 2.25, 'import', 'old words', '[{"word":"old","start":0.5,"end":1},{"word":"words","start":1,"end":2.25}]'),
              (1, '2', 3, 4, 'manual', '', NULL)`,
    );
    db.exec(
      `INSERT INTO label (segment_id, annotator, scheme, mosi_score, updated_at) VALUES (1, 'ann', 'mosi', 1.5, '2024-01-01T00:00:00Z')`,
    );
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(columnsOf(db, 'segment')).not.toContain('aligned');
    db.close();

    const store = ProjectStore.open(file);
    try {
      expect(store.project().name).toBe('old');
      const segments = store.listSegments(1);
      expect(segments.map((s) => [s.clipId, s.start, s.end, s.text, s.aligned])).toEqual([
        ['1', 0.5, 2.25, 'old words', true],
        ['2', 3, 4, '', true],
      ]);
      expect(segments[0].words).toEqual([
        { word: 'old', start: 0.5, end: 1 },
        { word: 'words', start: 1, end: 2.25 },
      ]);
      expect(store.listLabels(1).map((l) => l.values)).toEqual([{ score: 1.5, text: null, audio: null, visual: null }]);
    } finally {
      store.close();
    }

    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(columnsOf(after, 'segment')).toContain('aligned');
    // The column refuses anything but 0/1, like the other flags.
    after.close();
    const raw = new Database(file);
    expect(() => raw.exec(`UPDATE segment SET aligned = 2 WHERE id = 1`)).toThrow(/CHECK/);
    raw.close();
  });

  it('stores aligned = false, keeps it through text edits, split and merge, and clears it when a boundary moves', () => {
    const store = ProjectStore.open(path.join(tmp, 'flag.sentiscope'));
    try {
      const media = store.addMedia({ name: 'm' });
      const a = store.createSegment({ mediaId: media.id, start: 0, end: 2, source: 'import', text: 'one two', aligned: false });
      expect(a.aligned).toBe(false);
      expect(store.createSegment({ mediaId: media.id, start: 5, end: 6, source: 'manual' }).aligned).toBe(true);

      expect(store.updateSegment(a.id, { text: 'one two three' }).aligned).toBe(false);
      // Same times given back (a form re-saving every field) is not a boundary edit.
      expect(store.updateSegment(a.id, { start: 0, end: 2 }).aligned).toBe(false);

      const { first, second } = splitSegment(store, { segmentId: a.id, at: 1, secondText: 'three' });
      expect([first.aligned, second.aligned]).toEqual([false, false]);
      const merged = mergeSegments(store, first.id, second.id);
      expect(merged.aligned).toBe(false);

      // The annotator drags the start: the span is now theirs.
      expect(store.updateSegment(merged.id, { start: 0.2 }).aligned).toBe(true);
      // Unless the patch says otherwise.
      expect(store.updateSegment(merged.id, { end: 1.9, aligned: false }).aligned).toBe(false);
      expect(store.getSegment(merged.id).aligned).toBe(false);
    } finally {
      store.close();
    }
  });
});
