// Undo/redo as a command history (CVAT-style): each edit is a command that knows how to
// do and undo itself through the contract. Commands run one at a time, in order, so a
// burst of keys cannot interleave two edits.
//
// [Note: segment ids across undo] Undoing a delete re-creates the segment, and the store
// gives it a new id. Commands keep the ids they first saw and look them up through
// SegmentIds, which follows old id -> new id, so older commands still find "their" segment.
// Segment ids are unique in a project, so one SegmentIds serves every media item's history.

import { SentiscopeError } from '../../../shared/errors';

export interface Command {
  /** For the UI ("Undo: set label"). */
  name: string;
  /** The media item whose rows the command edits: it is undone only while that item is in view. */
  mediaId: number;
  run(): Promise<void>;
  undo(): Promise<void>;
}

export class SegmentIds {
  private readonly forward = new Map<number, number>();

  /** The id the segment first known as `id` has now. */
  resolve(id: number): number {
    let current = id;
    for (let guard = 0; this.forward.has(current) && guard < 10_000; guard++) current = this.forward.get(current)!;
    return current;
  }

  /** Records that the segment known as `oldId` now lives under `newId`. */
  moved(oldId: number, newId: number): void {
    const from = this.resolve(oldId);
    if (from !== newId) this.forward.set(from, newId);
  }

  clear(): void {
    this.forward.clear();
  }
}

export const HISTORY_LIMIT = 500;

// [Note: one history per media item] An annotator who deletes a segment on A, opens B and
// presses Ctrl+Z expects B's last edit undone, never A's segment restored into B's list
// (CVAT keeps the frame and object ids with each history entry for the same reason). So
// each media item keeps its own done/undone stacks; switching items is itself a step in the
// queue, so edits asked for before the switch finish against the item they were made on,
// and an undo is read from the item in view when it was asked for.

interface Stacks {
  done: Command[];
  undone: Command[];
}

export class CommandHistory {
  private readonly stacks = new Map<number, Stacks>();
  /** The item whose rows are loaded now (commands run against it). */
  private active: number | null = null;
  /** The item most recently asked for: undo/redo pressed now mean its history. */
  private requested: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped on every change, so a reactive wrapper can refresh canUndo/canRedo. */
  version = 0;

  constructor(
    private readonly limit = HISTORY_LIMIT,
    private readonly onChange: () => void = () => {},
  ) {}

  private stacksOf(scope: number | null): Stacks {
    if (scope === null) return { done: [], undone: [] };
    let stacks = this.stacks.get(scope);
    if (!stacks) this.stacks.set(scope, (stacks = { done: [], undone: [] }));
    return stacks;
  }

  get canUndo(): boolean {
    return this.stacksOf(this.requested).done.length > 0;
  }
  get canRedo(): boolean {
    return this.stacksOf(this.requested).undone.length > 0;
  }
  get undoName(): string | null {
    return this.stacksOf(this.requested).done.at(-1)?.name ?? null;
  }
  get redoName(): string | null {
    return this.stacksOf(this.requested).undone.at(-1)?.name ?? null;
  }
  get size(): number {
    return this.stacksOf(this.requested).done.length;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private changed(): void {
    this.version++;
    this.onChange();
  }

  /** A command may only touch the rows that are loaded: anything else is a bug in the caller. */
  private checkScope(command: Command): void {
    if (command.mediaId !== this.active) {
      throw new SentiscopeError(
        'internal',
        `"${command.name}" belongs to another media item than the one in view; it was not applied. Open that item and try again.`,
      );
    }
  }

  /**
   * Puts another media item in view: waits for every edit asked for before, then runs `load`
   * (which replaces the rows in view) and makes that item's history the current one.
   */
  switchTo(scope: number | null, load: () => Promise<void> = async () => {}): Promise<void> {
    this.requested = scope;
    this.changed();
    return this.enqueue(async () => {
      this.active = scope;
      await load();
    });
  }

  /** Runs a new edit; on success it can be undone, and that item's redo list is dropped. */
  execute(command: Command): Promise<void> {
    return this.enqueue(async () => {
      this.checkScope(command);
      await command.run();
      const stacks = this.stacksOf(command.mediaId);
      stacks.done.push(command);
      if (stacks.done.length > this.limit) stacks.done.splice(0, stacks.done.length - this.limit);
      stacks.undone = [];
      this.changed();
    });
  }

  undo(): Promise<void> {
    const stacks = this.stacksOf(this.requested);
    return this.enqueue(async () => {
      const command = stacks.done.pop();
      if (!command) return;
      try {
        this.checkScope(command);
        await command.undo();
      } catch (err) {
        stacks.done.push(command);
        throw err;
      }
      stacks.undone.push(command);
      this.changed();
    });
  }

  redo(): Promise<void> {
    const stacks = this.stacksOf(this.requested);
    return this.enqueue(async () => {
      const command = stacks.undone.pop();
      if (!command) return;
      try {
        this.checkScope(command);
        await command.run();
      } catch (err) {
        stacks.undone.push(command);
        throw err;
      }
      stacks.done.push(command);
      this.changed();
    });
  }

  /** Forgets one media item's commands (its rows were replaced), or every item's (another project). */
  clear(scope?: number): void {
    if (scope === undefined) this.stacks.clear();
    else this.stacks.delete(scope);
    this.changed();
  }
}
