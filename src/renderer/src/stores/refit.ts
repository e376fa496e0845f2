// The refit store: "Refit on my labels" and the refit packs' learning curves (parts/refit.ts).

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import type { Models } from './parts/models';
import { createRefit } from './parts/refit';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useModels } from './models';
import { useUi } from './ui';

export const useRefit = defineStore('refit', () =>
  createRefit(useContractClient(), partsOf<Status>(useUi()), partsOf<Models>(useModels())),
);
