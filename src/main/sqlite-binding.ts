// [Note: better-sqlite3 under Electron] The addon in node_modules is built for Node; the
// copy for Electron's ABI is built by scripts/build-electron-sqlite.mjs before `npm start`.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import { useSqliteNativeBinding } from '../core/store';

export function useElectronSqliteBinding(): void {
  const binding = join(app.getAppPath(), 'out', 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  if (existsSync(binding)) {
    useSqliteNativeBinding(binding);
  } else {
    console.warn(`better-sqlite3 for Electron not found at ${binding}: run \`npm start\` (it builds it) before opening a project.`);
  }
}
