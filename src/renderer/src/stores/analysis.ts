// The analysis store: analysing the selected item from the workspace with the pack and
// speech recognizer the models store chose (parts/analysis.ts).

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { useAnnotations } from './annotations';
import { useLibrary } from './library';
import { useModels } from './models';
import { createAnalysis } from './parts/analysis';
import type { Annotations } from './parts/annotations';
import type { Library } from './parts/library';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useUi } from './ui';

export const useAnalysis = defineStore('analysis', () => {
  const models = useModels();
  return createAnalysis(
    useContractClient(),
    partsOf<Status>(useUi()),
    partsOf<Library>(useLibrary()),
    partsOf<Annotations>(useAnnotations()),
    () => models.analysisModel,
    () => models.transcription(),
  );
});
