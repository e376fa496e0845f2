// The open project and its media: the list, the selected item, and its waveform peaks
// (packed by the core, unpacked here once; the page never decodes audio).

import { computed, ref, shallowRef } from 'vue';
import type { ContractClient, OpenProject } from '../../../../shared/contract';
import type { Media } from '../../../../shared/domain';
import { unpackFloat32 } from '../../util/packed-floats';

/** Waveform peaks as the player uses them (unpacked from 'media:peaksPacked'). */
export interface LoadedPeaks {
  duration: number;
  peaksPerSecond: number;
  peaks: Float32Array;
}

export function createLibrary(api: ContractClient) {
  const project = ref<OpenProject | null>(null);
  const mediaList = shallowRef<Media[]>([]);
  const mediaId = ref<number | null>(null);
  const peaks = shallowRef<LoadedPeaks | null>(null);
  const peaksLoading = ref(false);
  const media = computed(() => mediaList.value.find((m) => m.id === mediaId.value) ?? null);

  async function refreshMedia(): Promise<void> {
    mediaList.value = await api.invoke('media:list', undefined);
  }

  async function loadPeaks(id: number): Promise<void> {
    peaksLoading.value = true;
    try {
      const packed = await api.invoke('media:peaksPacked', { mediaId: id });
      if (mediaId.value !== id) return;
      peaks.value = { duration: packed.duration, peaksPerSecond: packed.peaksPerSecond, peaks: unpackFloat32(packed.data, packed.count) };
    } finally {
      peaksLoading.value = false;
    }
  }

  return { project, mediaList, mediaId, media, peaks, peaksLoading, refreshMedia, loadPeaks };
}

export type Library = ReturnType<typeof createLibrary>;
