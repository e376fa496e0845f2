// The live-mode store (parts/live-mode.ts), wired to the page: the media clock of the
// player, the traces of the item in view (reloaded when it changes), a take ended when the
// clip pauses, and the 10 Hz sampling driven by animation frames while it plays in trace mode.

import { defineStore, storeToRefs } from 'pinia';
import { watch } from 'vue';
import { useContractClient } from '../api/client';
import { useAnnotations } from './annotations';
import { useEdits } from './edits';
import { useLibrary } from './library';
import type { Annotations } from './parts/annotations';
import type { EditCommands } from './parts/edit-commands';
import type { Library } from './parts/library';
import { createLiveMode } from './parts/live-mode';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useTransport } from './transport';
import { useUi } from './ui';

export { TRACE_KEY_STEP, type LiveMode } from './parts/live-mode';

export const useLive = defineStore('live', () => {
  const transport = useTransport();
  const library = partsOf<Library>(useLibrary());
  const clock = () => transport.controls?.currentTime() ?? transport.currentTime;
  const live = createLiveMode(
    useContractClient(),
    partsOf<Status>(useUi()),
    library,
    partsOf<Annotations>(useAnnotations()),
    partsOf<EditCommands>(useEdits()),
    clock,
  );

  // Synchronously, so a take in progress is saved on the item it was recorded on.
  watch(
    library.mediaId,
    (id) => {
      void live.leaveMedia();
      if (id !== null) void live.load(id, () => library.mediaId.value === id);
    },
    { flush: 'sync', immediate: true },
  );

  const { playingNow } = storeToRefs(transport);
  let frame = 0;
  const loop = () => {
    frame = requestAnimationFrame(loop);
    void live.sample(clock());
  };
  watch(
    () => playingNow.value && live.mode.value === 'trace',
    (sampling) => {
      cancelAnimationFrame(frame);
      frame = 0;
      if (sampling) loop();
      else void live.endTake();
    },
  );

  return live;
});
