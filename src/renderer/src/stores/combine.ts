// The combine store: "Combine projects…" and its report (parts/combine.ts); a combine that
// changed the team file reloads the workspace through the project store.

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { createCombine } from './parts/combine';
import type { Status } from './parts/status';
import { useProject } from './project';
import { partsOf } from './store-parts';
import { useUi } from './ui';

export const useCombine = defineStore('combine', () =>
  createCombine(useContractClient(), partsOf<Status>(useUi()), () => useProject().reloadProject()),
);
