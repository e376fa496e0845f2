// The library store: the open project, its media list, the selected item and its waveform
// peaks (parts/library.ts).

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { createLibrary } from './parts/library';

export type { LoadedPeaks } from './parts/library';

export const useLibrary = defineStore('library', () => createLibrary(useContractClient()));
