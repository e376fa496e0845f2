// The project store: the actions that move the whole workspace (open a project, add and
// select media, export, import a transcript, the native file dialogs; parts/project-actions.ts).
// Its own store because it drives the others: library, annotations and edits.

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { useAnnotations } from './annotations';
import { useEdits } from './edits';
import { useLibrary } from './library';
import type { Annotations } from './parts/annotations';
import type { EditCommands } from './parts/edit-commands';
import type { Library } from './parts/library';
import { createProjectActions } from './parts/project-actions';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useUi } from './ui';

export type { OpenPurpose } from './parts/project-actions';

export const useProject = defineStore('project', () =>
  createProjectActions(
    useContractClient(),
    partsOf<Status>(useUi()),
    partsOf<Library>(useLibrary()),
    partsOf<Annotations>(useAnnotations()),
    partsOf<EditCommands>(useEdits()),
  ),
);
