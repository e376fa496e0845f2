// The edit history against the real core: CommandHistory and SegmentIds on their own, then
// the workspace's edit commands over the real contract handlers and a temp SQLite project
// (no browser). The case that matters most: an edit made on one media item must never be
// undone into another item's list.

import { join } from 'node:path';
import { ref } from 'vue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { validateRequest, type ContractClient } from '../../src/shared/contract';
import { CommandHistory, SegmentIds, type Command } from '../../src/renderer/src/commands/history';
import { createStatus } from '../../src/renderer/src/stores/parts/status';
import { createLibrary } from '../../src/renderer/src/stores/parts/library';
import { createAnnotations } from '../../src/renderer/src/stores/parts/annotations';
import { createEditCommands } from '../../src/renderer/src/stores/parts/edit-commands';
import { createProjectActions } from '../../src/renderer/src/stores/parts/project-actions';
import { MOSI_CLIP, MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';

/** A command that records what it did, so the order of runs and undos can be read back. */
function logged(log: string[], name: string, mediaId = 1, fail: 'run' | 'undo' | null = null): Command {
  return {
    name,
    mediaId,
    run: async () => {
      if (fail === 'run') throw new Error(`${name} failed`);
      log.push(`run ${name}`);
    },
    undo: async () => {
      if (fail === 'undo') throw new Error(`undo ${name} failed`);
      log.push(`undo ${name}`);
    },
  };
}

describe('CommandHistory', () => {
  it('undoes and redoes in order, and a new edit drops the redo list', async () => {
    const log: string[] = [];
    const history = new CommandHistory();
    await history.switchTo(1);
    await history.execute(logged(log, 'a'));
    await history.execute(logged(log, 'b'));
    await history.undo();
    expect(history.redoName).toBe('b');
    await history.redo();
    await history.undo();
    await history.execute(logged(log, 'c'));
    expect(history.canRedo).toBe(false);
    expect(log).toEqual(['run a', 'run b', 'undo b', 'run b', 'undo b', 'run c']);
  });

  it('runs commands one at a time even when they are started together', async () => {
    const log: string[] = [];
    const history = new CommandHistory();
    await history.switchTo(1);
    const slow: Command = {
      name: 'slow',
      mediaId: 1,
      run: () => new Promise((done) => setTimeout(() => (log.push('run slow'), done()), 30)),
      undo: async () => {},
    };
    await Promise.all([history.execute(slow), history.execute(logged(log, 'fast')), history.undo()]);
    expect(log).toEqual(['run slow', 'run fast', 'undo fast']);
    expect(history.redoName).toBe('fast');
  });

  it('keeps a command whose undo failed, so it can be tried again', async () => {
    const log: string[] = [];
    const history = new CommandHistory();
    await history.switchTo(1);
    await history.execute(logged(log, 'a', 1, 'undo'));
    await expect(history.undo()).rejects.toThrow('undo a failed');
    expect(history.undoName).toBe('a');
    expect(history.canRedo).toBe(false);
  });

  it('drops the oldest commands past its limit', async () => {
    const history = new CommandHistory(3);
    await history.switchTo(1);
    for (const name of ['a', 'b', 'c', 'd']) await history.execute(logged([], name));
    expect(history.size).toBe(3);
  });

  it('keeps one history per media item: undo on B never touches what was done on A', async () => {
    const log: string[] = [];
    const history = new CommandHistory();
    await history.switchTo(1);
    await history.execute(logged(log, 'edit on A', 1));
    await history.switchTo(2);
    expect(history.canUndo).toBe(false);
    await history.undo();
    expect(log).toEqual(['run edit on A']);
    await history.execute(logged(log, 'edit on B', 2));
    await history.switchTo(1);
    expect(history.undoName).toBe('edit on A');
    await history.undo();
    expect(log).toEqual(['run edit on A', 'run edit on B', 'undo edit on A']);
    await history.switchTo(2);
    expect(history.undoName).toBe('edit on B');
  });

  it('refuses a command that belongs to another media item than the one in view', async () => {
    const history = new CommandHistory();
    await history.switchTo(2);
    await expect(history.execute(logged([], 'edit on A', 1))).rejects.toThrow(/another media item/);
    expect(history.canUndo).toBe(false);
  });

  it('a switch waits for the edits asked for before it, and undo is read from the item in view when asked', async () => {
    const log: string[] = [];
    const history = new CommandHistory();
    await history.switchTo(1);
    await history.execute(logged(log, 'edit on A', 1));
    const slow: Command = {
      name: 'slow',
      mediaId: 1,
      run: () => new Promise((done) => setTimeout(() => (log.push('run slow'), done()), 30)),
      undo: async () => {
        log.push('undo slow');
      },
    };
    const pending = history.execute(slow);
    const undo = history.undo(); // asked for while A is in view, queued behind `slow`
    let loadedWith: string[] = [];
    const switching = history.switchTo(2, async () => {
      loadedWith = [...log];
    });
    const undoOnB = history.undo(); // asked for after the switch: B's history, which is empty
    await Promise.all([pending, undo, switching, undoOnB]);
    // B loaded only after A's edit and its undo had finished.
    expect(loadedWith).toEqual(['run edit on A', 'run slow', 'undo slow']);
    expect(log).toEqual(['run edit on A', 'run slow', 'undo slow']);
    expect(history.canUndo).toBe(false);
    await history.switchTo(1);
    expect(history.undoName).toBe('edit on A');
    expect(history.redoName).toBe('slow');
  });
});

describe('SegmentIds', () => {
  it('follows a segment through repeated re-creations', () => {
    const ids = new SegmentIds();
    ids.moved(1, 5);
    ids.moved(5, 9);
    ids.moved(1, 12); // moved(old) is read from the newest id
    expect(ids.resolve(1)).toBe(12);
    expect(ids.resolve(5)).toBe(12);
    expect(ids.resolve(7)).toBe(7);
    ids.clear();
    expect(ids.resolve(1)).toBe(1);
  });
});

/** The renderer's client over the real handlers, with the same request validation as the shells. */
function directClient(handlers: ServedContract): ContractClient {
  return {
    invoke: async (channel, request) => {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return (await handler(validateRequest(channel, request))) as never;
    },
    mediaUrl: (mediaId) => `/media/${mediaId}`,
  };
}

describe('edit commands over the real core', () => {
  let dir: string;
  let handlers: ServedContract;
  let api: ContractClient;

  function workspace() {
    const status = createStatus();
    status.setAnnotator('ann_a');
    const library = createLibrary(api);
    const annotations = createAnnotations(api, library.media, status.annotator, ref(0));
    const edits = createEditCommands(api, status, library, annotations);
    const actions = createProjectActions(api, status, library, annotations, edits);
    return { status, library, annotations, edits, actions };
  }

  beforeAll(async () => {
    dir = await makeTempDir('sentiscope-undo-');
    handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data') });
    api = directClient(handlers);
    await api.invoke('project:open', { path: join(dir, 'undo.sentiscope') });
    await api.invoke('media:add', { path: MOSI_CLIP });
    await api.invoke('media:add', { path: MOSI_WAV });
  });

  afterAll(async () => {
    handlers?.close();
    await removeTempDir(dir);
  });

  it("undoing a delete made on A while B is open does not put A's segment into B", async () => {
    const ws = workspace();
    await ws.actions.init();
    await ws.library.refreshMedia();
    const [a, b] = ws.library.mediaList.value;
    await ws.actions.selectMedia(a.id);
    await ws.edits.createSegment(0.5, 1.5);
    const created = ws.annotations.segments.value[0];
    await ws.edits.setMosi(created.id, { score: 2 });
    await ws.edits.deleteSegment(created.id);
    expect(ws.annotations.segments.value).toHaveLength(0);

    await ws.actions.selectMedia(b.id);
    await ws.edits.createSegment(2, 3);
    expect(ws.annotations.segments.value.map((s) => s.mediaId)).toEqual([b.id]);
    await ws.edits.undo(); // undoes B's create, nothing of A's
    await ws.edits.undo(); // B has nothing more to undo
    expect(ws.annotations.segments.value).toEqual([]);
    expect(await api.invoke('segments:list', { mediaId: b.id })).toEqual([]);
    expect(await api.invoke('segments:list', { mediaId: a.id })).toEqual([]);
    expect(ws.status.error.value).toBeNull();

    // Back on A, its own history is still there: the delete comes back, label and all.
    await ws.actions.selectMedia(a.id);
    expect(ws.edits.canUndo.value).toBe(true);
    await ws.edits.undo();
    const onA = await api.invoke('segments:list', { mediaId: a.id });
    expect(onA).toHaveLength(1);
    expect(ws.annotations.segments.value.map((s) => s.id)).toEqual([onA[0].id]);
    const labels = await api.invoke('labels:list', { mediaId: a.id });
    expect(labels.map((l) => l.scheme === 'mosi' && l.values.score)).toEqual([2]);
    // Redo deletes it again, then undo restores it under yet another id; the label follows.
    await ws.edits.redo();
    await ws.edits.undo();
    await ws.edits.undo(); // the label
    const restored = await api.invoke('segments:list', { mediaId: a.id });
    expect(restored).toHaveLength(1);
    expect(await api.invoke('labels:list', { mediaId: a.id })).toEqual([]);
    expect(ws.status.error.value).toBeNull();
  });

  it('an edit finished after the switch to B is saved on A and never shown in B', async () => {
    const ws = workspace();
    await ws.library.refreshMedia();
    const [a, b] = ws.library.mediaList.value;
    await ws.actions.selectMedia(a.id);
    const before = (await api.invoke('segments:list', { mediaId: a.id })).length;
    const creating = ws.edits.createSegment(4, 5);
    const switching = ws.actions.selectMedia(b.id);
    await Promise.all([creating, switching]);
    expect(ws.library.mediaId.value).toBe(b.id);
    expect(ws.annotations.segments.value.every((s) => s.mediaId === b.id)).toBe(true);
    expect(await api.invoke('segments:list', { mediaId: a.id })).toHaveLength(before + 1);
  });

  it('split, merge and boundary edits undo back to the saved spans', async () => {
    const ws = workspace();
    await ws.library.refreshMedia();
    const b = ws.library.mediaList.value[1];
    await ws.actions.selectMedia(b.id);
    await ws.edits.createSegment(1, 3);
    const id = ws.annotations.segments.value[0].id;
    await ws.edits.updateSegment(id, { text: 'so this is great' });
    await ws.edits.splitAt(id, 2);
    expect(ws.annotations.segments.value.map((s) => [s.start, s.end])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    await ws.edits.mergeWithNext(id);
    await ws.edits.nudgeEdge(id, 'end', 1);
    expect(ws.annotations.segments.value.map((s) => [s.start, s.end])).toEqual([[1, 3.05]]);
    await ws.edits.undo();
    await ws.edits.undo();
    await ws.edits.undo();
    const saved = await api.invoke('segments:list', { mediaId: b.id });
    expect(saved.map((s) => [s.start, s.end, s.text])).toEqual([[1, 3, 'so this is great']]);
    expect(ws.annotations.segments.value.map((s) => [s.start, s.end, s.text])).toEqual([[1, 3, 'so this is great']]);
  });
});
