// The annotations store: the selected item's segments, labels and predictions, the
// selection, and the segment under the transport's playhead (parts/annotations.ts).

import { defineStore, storeToRefs } from 'pinia';
import { useContractClient } from '../api/client';
import { useLibrary } from './library';
import { createAnnotations } from './parts/annotations';
import type { Library } from './parts/library';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useTransport } from './transport';
import { useUi } from './ui';

export type { Scheme } from './parts/annotations';

export const useAnnotations = defineStore('annotations', () => {
  const library = partsOf<Library>(useLibrary());
  const ui = partsOf<Status>(useUi());
  return createAnnotations(useContractClient(), library.media, ui.annotator, storeToRefs(useTransport()).currentTime);
});
