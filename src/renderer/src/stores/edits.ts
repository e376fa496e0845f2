// The edits store: every edit of segments and labels as an undoable command, with one
// history per media item (parts/edit-commands.ts, commands/history.ts).

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { useAnnotations } from './annotations';
import { useLibrary } from './library';
import type { Annotations } from './parts/annotations';
import { createEditCommands } from './parts/edit-commands';
import type { Library } from './parts/library';
import type { Status } from './parts/status';
import { partsOf } from './store-parts';
import { useUi } from './ui';

export { MIN_SEGMENT, splitText } from './parts/edit-commands';

export const useEdits = defineStore('edits', () =>
  createEditCommands(useContractClient(), partsOf<Status>(useUi()), partsOf<Library>(useLibrary()), partsOf<Annotations>(useAnnotations())),
);
