// The "Label next" store (parts/label-next.ts) over the workspace's own stores.

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { useAnnotations } from './annotations';
import { useEdits } from './edits';
import { useLibrary } from './library';
import { createLabelNext } from './parts/label-next';
import type { Status } from './parts/status';
import { useProject } from './project';
import { partsOf } from './store-parts';
import { useTransport } from './transport';
import { useUi } from './ui';

export const useLabelNext = defineStore('labelNext', () => {
  const library = useLibrary();
  const annotations = useAnnotations();
  const project = useProject();
  const edits = useEdits();
  const transport = useTransport();
  return createLabelNext(useContractClient(), partsOf<Status>(useUi()), {
    showMedia: (mediaId) => project.selectMedia(mediaId),
    currentMediaId: () => library.mediaId,
    selectSegment: (segmentId) => annotations.select(segmentId),
    seek: (seconds) => transport.controls?.seek(seconds),
    setMosiScore: (segmentId, score) => edits.setMosi(segmentId, { score }, {}, 'accept suggestion'),
  });
});
