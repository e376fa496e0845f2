// [Note: better-sqlite3 under Electron] The addon in node_modules is built for Node; the
// copy for Electron's ABI is built by scripts/build-electron-sqlite.mjs before `npm start`.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import { useSqliteNativeBinding } from '../core/store';

/** The Electron-ABI better-sqlite3 addon, or null when it has not been built. */
export function electronSqliteBindingPath(): string | null {
  const binding = join(app.getAppPath(), 'out', 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(binding) ? binding : null;
}

export function useElectronSqliteBinding(): void {
  const binding = electronSqliteBindingPath();
  if (binding) {
    useSqliteNativeBinding(binding);
  } else {
    console.warn(`better-sqlite3 for Electron not found under out/native: run \`npm start\` (it builds it) before opening a project.`);
  }
}
