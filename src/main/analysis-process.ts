// Analysis jobs in the desktop app run in an Electron utilityProcess (a separate Node
// process, so a crash or a long job never touches the window's main process). It runs
// the same job host as the CLI's worker thread (src/core/jobs/utility-entry.ts, built to
// out/main/analysis-utility.js); pass this factory as createContractHandlers'
// startAnalysisHost.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import { electronSqliteBindingPath } from './sqlite-binding';
import type { FromJobHost } from '../core/jobs/job-messages';
import type { JobHostFactory } from '../core/jobs/worker-host';

const BUILT_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'analysis-utility.js');

export function utilityProcessHost(entry: string = BUILT_ENTRY): JobHostFactory {
  return () => {
    // [Note: better-sqlite3 under Electron] applies to the utility process too: it opens
    // the project file with the Electron-ABI addon, whose path it gets from here.
    const binding = electronSqliteBindingPath();
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Sentiscope analysis',
      stdio: 'inherit',
      env: { ...process.env, ...(binding ? { SENTISCOPE_SQLITE_BINDING: binding } : {}) },
    });
    let ended = false;
    let exitListener: ((reason: string) => void) | null = null;
    child.on('exit', (code) => {
      if (ended) return;
      ended = true;
      exitListener?.(`the analysis process exited (code ${code})`);
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: FromJobHost) => listener(message)),
      onExit: (listener) => {
        exitListener = listener;
      },
      async terminate() {
        ended = true;
        child.kill();
      },
    };
  };
}
