// The ui store: banners, the busy count, the annotator's name, the help and Models overlays,
// the segment whose text is being edited, and the shell the page runs in (parts/status.ts).

import { defineStore } from 'pinia';
import { createStatus } from './parts/status';

export const useUi = defineStore('ui', () => createStatus());
