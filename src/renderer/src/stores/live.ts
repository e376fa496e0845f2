// The live-mode store (parts/live-mode.ts, which follows the item in view itself), wired to
// the page: the media clock of the player, a take ended when the clip pauses, and the 10 Hz
// sampling driven by animation frames while it plays in trace mode.

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
  const clock = () => transport.controls?.currentTime() ?? transport.currentTime;
  const live = createLiveMode(
    useContractClient(),
    partsOf<Status>(useUi()),
    partsOf<Library>(useLibrary()),
    partsOf<Annotations>(useAnnotations()),
    partsOf<EditCommands>(useEdits()),
    clock,
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
