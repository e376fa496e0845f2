// The project schema, as an ordered list of migrations. PRAGMA user_version records the
// last one applied; each migration runs in its own transaction together with the bump
// of user_version, so a file is always at exactly one version.

import { SentiscopeError } from '../../shared/errors';
import { notAProject, type Db } from './connection';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** 'SNTS': marks a file as a Sentiscope project for tools like `file(1)`. */
export const SENTISCOPE_APPLICATION_ID = 0x534e5453;

// Labels (human) and predictions (model) live in separate tables with disjoint column
// names on purpose: nothing can read one as the other (see src/shared/domain.ts).
const INITIAL_SCHEMA = `
PRAGMA application_id = ${SENTISCOPE_APPLICATION_ID};

-- One row: a project file IS a project.
CREATE TABLE project (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE media (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  path        TEXT,
  identity    TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'image', 'none')),
  probe_json  TEXT,
  added_at    TEXT NOT NULL
) STRICT;
CREATE INDEX media_path ON media (path);

CREATE TABLE segment (
  id          INTEGER PRIMARY KEY,
  media_id    INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  clip_id     TEXT NOT NULL CHECK (clip_id <> ''),
  start_s     REAL NOT NULL CHECK (start_s >= 0),
  end_s       REAL NOT NULL CHECK (end_s >= start_s),
  source      TEXT NOT NULL CHECK (source IN ('vad', 'asr', 'import', 'manual')),
  text        TEXT NOT NULL DEFAULT '',
  words_json  TEXT,
  split       TEXT CHECK (split IN ('train', 'valid', 'test')),
  UNIQUE (media_id, clip_id)
) STRICT;
CREATE INDEX segment_media_start ON segment (media_id, start_s);

CREATE TABLE label (
  id            INTEGER PRIMARY KEY,
  segment_id    INTEGER NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
  annotator     TEXT NOT NULL CHECK (annotator <> ''),
  scheme        TEXT NOT NULL CHECK (scheme IN ('mosi', 'mvsa')),
  mosi_score    REAL CHECK (mosi_score BETWEEN -3 AND 3),
  mosi_text     REAL CHECK (mosi_text BETWEEN -3 AND 3),
  mosi_audio    REAL CHECK (mosi_audio BETWEEN -3 AND 3),
  mosi_visual   REAL CHECK (mosi_visual BETWEEN -3 AND 3),
  mvsa_text     TEXT CHECK (mvsa_text IN ('negative', 'neutral', 'positive')),
  mvsa_image    TEXT CHECK (mvsa_image IN ('negative', 'neutral', 'positive')),
  -- The pair label as a file gave it, for posts whose sides were never labelled apart.
  mvsa_pair     TEXT CHECK (mvsa_pair IN ('negative', 'neutral', 'positive')),
  notes         TEXT NOT NULL DEFAULT '',
  questionable  INTEGER NOT NULL DEFAULT 0 CHECK (questionable IN (0, 1)),
  updated_at    TEXT NOT NULL,
  UNIQUE (segment_id, annotator, scheme),
  -- A label carries the values of its own scheme and nothing of the other.
  CHECK (
    (scheme = 'mosi' AND mosi_score IS NOT NULL AND mvsa_text IS NULL AND mvsa_image IS NULL
        AND mvsa_pair IS NULL)
    OR (scheme = 'mvsa' AND mosi_score IS NULL AND mosi_text IS NULL
        AND mosi_audio IS NULL AND mosi_visual IS NULL)
  )
) STRICT;

CREATE TABLE prediction (
  id              INTEGER PRIMARY KEY,
  segment_id      INTEGER NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
  model_id        TEXT NOT NULL,
  model_version   TEXT NOT NULL,
  score           REAL NOT NULL,
  p_negative      REAL NOT NULL,
  p_neutral       REAL NOT NULL,
  p_positive      REAL NOT NULL,
  contrib_text    REAL,
  contrib_audio   REAL,
  contrib_visual  REAL,
  created_at      TEXT NOT NULL
) STRICT;
-- Serves "latest prediction per segment per model" as an index seek.
CREATE INDEX prediction_segment_model ON prediction (segment_id, model_id, model_version, id);
`;

// Whether a segment's times are trusted. Imported plain text is spread over speech
// segments by duration (an estimate): those segments are 0 until the annotator moves a
// boundary. Every row made before this column existed had real timings, hence DEFAULT 1.
const SEGMENT_ALIGNED = `
ALTER TABLE segment ADD COLUMN aligned INTEGER NOT NULL DEFAULT 1 CHECK (aligned IN (0, 1));
`;

// What a prediction says about itself beyond the numbers: its baseline (the run with no
// modality, which the contributions are measured against), whether each modality's input
// was outside the training data (NULL: absent, or an older pack without the check), and the
// language of the text. Rows made before have NULL: nothing was measured.
const PREDICTION_CONTEXT = `
ALTER TABLE prediction ADD COLUMN base_score REAL;
ALTER TABLE prediction ADD COLUMN ood_text INTEGER CHECK (ood_text IN (0, 1));
ALTER TABLE prediction ADD COLUMN ood_audio INTEGER CHECK (ood_audio IN (0, 1));
ALTER TABLE prediction ADD COLUMN ood_visual INTEGER CHECK (ood_visual IN (0, 1));
ALTER TABLE prediction ADD COLUMN language TEXT;
`;

// The adjudicator's final label, a role of its own: one per segment and scheme, beside
// (never in place of) the annotators' labels, with the same value columns and checks.
const ADJUDICATION = `
CREATE TABLE adjudication (
  id            INTEGER PRIMARY KEY,
  segment_id    INTEGER NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
  adjudicator   TEXT NOT NULL CHECK (adjudicator <> ''),
  scheme        TEXT NOT NULL CHECK (scheme IN ('mosi', 'mvsa')),
  mosi_score    REAL CHECK (mosi_score BETWEEN -3 AND 3),
  mosi_text     REAL CHECK (mosi_text BETWEEN -3 AND 3),
  mosi_audio    REAL CHECK (mosi_audio BETWEEN -3 AND 3),
  mosi_visual   REAL CHECK (mosi_visual BETWEEN -3 AND 3),
  mvsa_text     TEXT CHECK (mvsa_text IN ('negative', 'neutral', 'positive')),
  mvsa_image    TEXT CHECK (mvsa_image IN ('negative', 'neutral', 'positive')),
  mvsa_pair     TEXT CHECK (mvsa_pair IN ('negative', 'neutral', 'positive')),
  notes         TEXT NOT NULL DEFAULT '',
  updated_at    TEXT NOT NULL,
  UNIQUE (segment_id, scheme),
  CHECK (
    (scheme = 'mosi' AND mosi_score IS NOT NULL AND mvsa_text IS NULL AND mvsa_image IS NULL
        AND mvsa_pair IS NULL)
    OR (scheme = 'mvsa' AND mosi_score IS NULL AND mosi_text IS NULL
        AND mosi_audio IS NULL AND mosi_visual IS NULL)
  )
) STRICT;
`;

// Continuous rating traces (live mode): one annotator's -3..+3 value per media item on a
// 10 Hz grid, `tick` = time x 10 as an integer so takes over the same stretch meet exactly.
// Apart from segments and labels: a trace belongs to the media's time, not to a segment.
const TRACE_SAMPLES = `
CREATE TABLE trace_sample (
  media_id    INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  annotator   TEXT NOT NULL CHECK (annotator <> ''),
  tick        INTEGER NOT NULL CHECK (tick >= 0),
  value       REAL NOT NULL CHECK (value BETWEEN -3 AND 3),
  PRIMARY KEY (media_id, annotator, tick)
) STRICT, WITHOUT ROWID;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'segment alignment flag', sql: SEGMENT_ALIGNED },
  { version: 3, name: 'prediction baseline, out-of-range flags and language', sql: PREDICTION_CONTEXT },
  { version: 4, name: 'adjudicated labels', sql: ADJUDICATION },
  { version: 5, name: 'rating traces', sql: TRACE_SAMPLES },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new SentiscopeError(
        'internal',
        `Migration "${m.name}" has version ${m.version}, expected ${i + 1}: migrations must be numbered 1, 2, 3, ...`,
      );
    }
  });
}

/**
 * Refuses files made by a newer Sentiscope and SQLite files of some other program.
 * Reads only: a refused file is left exactly as it was.
 */
export function checkProjectFile(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  checkOrdered(migrations);
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new SentiscopeError(
      'bad-file',
      `${file} was made by a newer Sentiscope (project format ${current}, this version reads up to ${latest}); upgrade Sentiscope to open it`,
      file,
    );
  }
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId !== 0 && applicationId !== SENTISCOPE_APPLICATION_ID) {
    throw notAProject(file, 'it is a SQLite database of another program');
  }
  if (current === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number };
    if (tables.n > 0) throw notAProject(file, 'it is a SQLite database of another program');
  }
}

/**
 * Brings the file up to the last migration, after checkProjectFile.
 * Returns the versions applied (empty when the file was already current).
 */
export function migrate(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkProjectFile(db, file, migrations);
  const current = schemaVersion(db);
  const applied: number[] = [];
  for (const migration of migrations.slice(current)) {
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        // user_version lives in the file header, which is written by the same commit.
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new SentiscopeError(
        'internal',
        `Updating ${file} to project format ${migration.version} (${migration.name}) failed: ${why}; ` +
          `the file was left at format ${schemaVersion(db)}, report this with the file attached`,
        file,
      );
    }
    applied.push(migration.version);
  }
  return applied;
}
