// What a refit computed for each labelled segment (the source pack's logits and score, the
// vectors the head reads), kept on disk so the next refit of the same labels plus a few
// more reads only the new segments: in the app's loop (label some, refit, label the
// queue's next, refit again) feature extraction, not fitting, is what takes the time.
// One file per source pack; an entry is keyed by the pack, the segment's text and media
// ranges, and each media file's size and modification time, so an edited file is read
// again. JSON keeps every float32 and float64 exactly: a cached row gives the same head.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentSource } from '../analysis/features/segment-features';
import type { Modality } from './manifest';

const FORMAT = 'sentiscope-refit-features';

export interface CachedRefitRow {
  logits: [number, number, number];
  score: number;
  vectors: Partial<Record<Modality, Float32Array>>;
}

interface StoredRow {
  logits: [number, number, number];
  score: number;
  vectors: Partial<Record<Modality, number[]>>;
}

export class RefitFeatureCache {
  private changed = false;

  private constructor(
    private readonly file: string | null,
    private readonly pack: string,
    private readonly rows: Map<string, StoredRow>,
  ) {}

  /** The cache of `pack` (id@version and folder) under `dir`; with no dir, one that keeps nothing. */
  static async open(dir: string | undefined, pack: { id: string; version: string; dir: string }): Promise<RefitFeatureCache> {
    const name = `${pack.id}@${pack.version}`;
    if (!dir) return new RefitFeatureCache(null, name, new Map());
    const file = join(dir, `${name.replace(/[^\w.@-]/g, '_')}.json`);
    let rows = new Map<string, StoredRow>();
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { format?: string; pack?: string; rows?: Record<string, StoredRow> };
      // Another format, or another folder under the same id@version: start again.
      if (stored.format === FORMAT && stored.pack === `${name} ${pack.dir}` && stored.rows) rows = new Map(Object.entries(stored.rows));
    } catch {
      // None yet, or unreadable: it is only a cache.
    }
    return new RefitFeatureCache(file, `${name} ${pack.dir}`, rows);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The key of a segment, or null when one of its files cannot be stat'ed (the read then names it). */
  async key(source: SegmentSource): Promise<string | null> {
    const files: unknown[] = [];
    for (const range of [source.audio, source.visual]) {
      if (!range) {
        files.push(null);
        continue;
      }
      try {
        const info = await stat(range.path);
        files.push([range.path, range.start ?? null, range.end ?? null, info.size, info.mtimeMs]);
      } catch {
        return null;
      }
    }
    return createHash('sha256')
      .update(JSON.stringify([this.pack, source.text ?? null, files]))
      .digest('hex');
  }

  get(key: string | null): CachedRefitRow | null {
    const row = key === null ? undefined : this.rows.get(key);
    if (!row) return null;
    const vectors: Partial<Record<Modality, Float32Array>> = {};
    for (const [m, v] of Object.entries(row.vectors) as [Modality, number[]][]) vectors[m] = Float32Array.from(v);
    return { logits: row.logits, score: row.score, vectors };
  }

  set(key: string | null, row: CachedRefitRow): void {
    if (key === null || this.file === null) return;
    const vectors: StoredRow['vectors'] = {};
    for (const [m, v] of Object.entries(row.vectors) as [Modality, Float32Array][]) vectors[m] = Array.from(v);
    this.rows.set(key, { logits: row.logits, score: row.score, vectors });
    this.changed = true;
  }

  /** Writes the cache beside its file and renames it into place; a failure loses only the cache. */
  async save(): Promise<void> {
    if (!this.file || !this.changed) return;
    try {
      await mkdir(join(this.file, '..'), { recursive: true });
      const partial = `${this.file}.${process.pid}.partial`;
      await writeFile(partial, JSON.stringify({ format: FORMAT, pack: this.pack, rows: Object.fromEntries(this.rows) }));
      await rename(partial, this.file);
      this.changed = false;
    } catch {
      // A cache that cannot be written costs time on the next refit, nothing else.
    }
  }
}
