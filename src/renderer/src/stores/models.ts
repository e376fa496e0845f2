// The models store: the Models page (installed packs and folders, add, remove, download),
// the pack Analyze uses and the speech recognizer it transcribes with (parts/models.ts).

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { createModels } from './parts/models';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useUi } from './ui';

export const useModels = defineStore('models', () => createModels(useContractClient(), partsOf<Status>(useUi())));
