// The agreement store: the Agreement page's report, review queue and adjudication (parts/agreement.ts).

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { createAgreement } from './parts/agreement';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useUi } from './ui';

export const useAgreement = defineStore('agreement', () => createAgreement(useContractClient(), partsOf<Status>(useUi())));
export type { AgreementScheme } from './parts/agreement';
