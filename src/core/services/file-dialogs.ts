// The file dialogs as the core answers them: there is no native dialog outside the desktop
// app, so browser mode refuses and the page keeps its typed path fields. The Electron main
// process replaces these two handlers with real dialogs (src/main/dialogs.ts).

import type { DialogResult } from '../../shared/contract';
import { SentiscopeError } from '../../shared/errors';

export function noFileDialog(): DialogResult {
  throw new SentiscopeError('bad-request', 'File dialogs exist only in the desktop app: type the path.');
}
