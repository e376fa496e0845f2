// Undo/redo as a command history (CVAT-style): each edit is a command that knows how to
// do and undo itself through the contract. Commands run one at a time, in order, so a
// burst of keys cannot interleave two edits.
//
// [Note: segment ids across undo] Undoing a delete re-creates the segment, and the store
// gives it a new id. Commands keep the ids they first saw and look them up through
// SegmentIds, which follows old id -> new id, so older commands still find "their" segment.

export interface Command {
  /** For the UI ("Undo: set label"). */
  name: string;
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

export class CommandHistory {
  private done: Command[] = [];
  private undone: Command[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped on every change, so a reactive wrapper can refresh canUndo/canRedo. */
  version = 0;

  constructor(
    private readonly limit = HISTORY_LIMIT,
    private readonly onChange: () => void = () => {},
  ) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  get undoName(): string | null {
    return this.done.at(-1)?.name ?? null;
  }
  get redoName(): string | null {
    return this.undone.at(-1)?.name ?? null;
  }
  get size(): number {
    return this.done.length;
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

  /** Runs a new edit; on success it can be undone, and the redo list is dropped. */
  execute(command: Command): Promise<void> {
    return this.enqueue(async () => {
      await command.run();
      this.done.push(command);
      if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit);
      this.undone = [];
      this.changed();
    });
  }

  undo(): Promise<void> {
    return this.enqueue(async () => {
      const command = this.done.pop();
      if (!command) return;
      try {
        await command.undo();
      } catch (err) {
        this.done.push(command);
        throw err;
      }
      this.undone.push(command);
      this.changed();
    });
  }

  redo(): Promise<void> {
    return this.enqueue(async () => {
      const command = this.undone.pop();
      if (!command) return;
      try {
        await command.run();
      } catch (err) {
        this.undone.push(command);
        throw err;
      }
      this.done.push(command);
      this.changed();
    });
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.changed();
  }
}
