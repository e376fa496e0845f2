// Media rows: the files (or names known only from a label file) a project covers.

import type { Media, MediaKind, ProbeInfo } from '../../shared/domain';
import { toMedia, type MediaRow } from './row-mappers';
import type { StoreContext } from './store-context';

/** What is known about a media item's file; all of it changes when the file is relinked. */
export interface MediaFile {
  path: string | null;
  identity: string | null;
  kind: MediaKind;
  probe: ProbeInfo | null;
}

export interface NewMedia {
  /** The MMSA `video_id`; unique within the project. */
  name: string;
  path?: string | null;
  identity?: string | null;
  kind?: MediaKind;
  probe?: ProbeInfo | null;
}

const MEDIA_KINDS: readonly MediaKind[] = ['video', 'audio', 'image', 'none'];

export class MediaRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly projectId: number,
  ) {}

  private map(row: MediaRow | undefined): Media | null {
    return row ? toMedia(row, this.projectId, this.ctx.file) : null;
  }

  private checkFile(file: MediaFile): void {
    if (!MEDIA_KINDS.includes(file.kind)) {
      throw this.ctx.badInput(`Media kind "${file.kind}" is not one of ${MEDIA_KINDS.join(', ')}`);
    }
    if (file.path === '') throw this.ctx.badInput('A media path cannot be empty; give a file path or null');
  }

  /**
   * Get-or-create by name. An item known only by name (from a label file) gets the file
   * attached; the same name with the same path (or no path) returns the existing item;
   * the same name for a different file is refused, since clips would be mixed up.
   */
  add(input: NewMedia): Media {
    const name = input.name.trim();
    if (name === '') throw this.ctx.badInput('A media name cannot be empty');
    const file: MediaFile = {
      path: input.path ?? null,
      identity: input.identity ?? null,
      kind: input.kind ?? 'none',
      probe: input.probe ?? null,
    };
    this.checkFile(file);

    return this.ctx.transaction(() => {
      const existing = this.findByName(name);
      if (existing) {
        if (file.path === null || existing.path === file.path) return existing;
        if (existing.path === null) return this.updateFile(existing.id, file);
        throw this.ctx.badInput(
          `A media item named "${name}" already exists for ${existing.path}, so ${file.path} cannot use that name; ` +
            'rename one of the files or remove the existing item',
        );
      }
      const row = this.ctx
        .stmt(
          `INSERT INTO media (name, path, identity, kind, probe_json, added_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          name,
          file.path,
          file.identity,
          file.kind,
          file.probe === null ? null : JSON.stringify(file.probe),
          this.ctx.now(),
        ) as MediaRow;
      return this.map(row) as Media;
    });
  }

  get(id: number): Media {
    const media = this.map(this.ctx.stmt(`SELECT * FROM media WHERE id = ?`).get(id) as MediaRow | undefined);
    if (!media) throw this.ctx.notFound('Media', id);
    return media;
  }

  /** Throws not-found unless the media item exists; for list calls keyed by media. */
  require(id: number): void {
    if (!this.ctx.stmt(`SELECT 1 FROM media WHERE id = ?`).get(id)) throw this.ctx.notFound('Media', id);
  }

  findByName(name: string): Media | null {
    return this.map(this.ctx.stmt(`SELECT * FROM media WHERE name = ?`).get(name) as MediaRow | undefined);
  }

  /** Paths compare exactly: callers pass absolute, resolved paths. */
  findByPath(path: string): Media | null {
    return this.map(this.ctx.stmt(`SELECT * FROM media WHERE path = ? ORDER BY id LIMIT 1`).get(path) as MediaRow | undefined);
  }

  list(): Media[] {
    const rows = this.ctx.stmt(`SELECT * FROM media ORDER BY name, id`).all() as MediaRow[];
    return rows.map((row) => this.map(row) as Media);
  }

  /** Relinks an item to a (moved or re-encoded) file. */
  updateFile(id: number, file: MediaFile): Media {
    this.checkFile(file);
    return this.ctx.transaction(() => {
      const row = this.ctx
        .stmt(`UPDATE media SET path = ?, identity = ?, kind = ?, probe_json = ? WHERE id = ? RETURNING *`)
        .get(file.path, file.identity, file.kind, file.probe === null ? null : JSON.stringify(file.probe), id) as MediaRow | undefined;
      if (!row) throw this.ctx.notFound('Media', id);
      return this.map(row) as Media;
    });
  }

  /** Removes the item with its segments, labels and predictions. */
  delete(id: number): void {
    this.ctx.transaction(() => {
      const result = this.ctx.stmt(`DELETE FROM media WHERE id = ?`).run(id);
      if (result.changes === 0) throw this.ctx.notFound('Media', id);
    });
  }
}
