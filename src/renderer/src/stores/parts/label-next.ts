// The "Label next" panel's state: the project's queue ('queue:list') in its three bands,
// going to an item (its media item selected, its segment selected and sought to), and
// accepting a confident suggestion, which is the user's own labelling action: it goes
// through the edit commands as "Accept as label" does (undoable), never by itself.

import { shallowRef } from 'vue';
import type { ContractClient } from '../../../../shared/contract';
import type { LabelQueue, QueueItem } from '../../../../shared/label-queue';
import { clampScore } from '../../../../shared/schemes/mosi';
import type { Status } from './status';

export interface LabelNextDeps {
  /** Shows the item's media (the workspace's own media switch) when it is not the one shown. */
  showMedia(mediaId: number): Promise<void>;
  currentMediaId(): number | null;
  selectSegment(segmentId: number): void;
  seek(seconds: number): void;
  setMosiScore(segmentId: number, score: number): Promise<void>;
}

export const QUEUE_SIZE = 50;

export function createLabelNext(api: ContractClient, status: Status, deps: LabelNextDeps) {
  const queue = shallowRef<LabelQueue | null>(null);

  async function load(): Promise<void> {
    await status.guard(async () => {
      queue.value = await api.invoke('queue:list', { n: QUEUE_SIZE });
    });
  }

  async function go(item: QueueItem): Promise<void> {
    if (deps.currentMediaId() !== item.mediaId) await deps.showMedia(item.mediaId);
    deps.selectSegment(item.segmentId);
    deps.seek(item.start);
  }

  /** The user accepts the suggestion: a MOSI label with the predicted score, as "Accept as label". */
  async function accept(item: QueueItem): Promise<void> {
    await go(item);
    await deps.setMosiScore(item.segmentId, clampScore(item.score));
    await load();
  }

  return { queue, load, go, accept };
}

export type LabelNext = ReturnType<typeof createLabelNext>;
