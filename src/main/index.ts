// Electron main process: app lifecycle. The core services answer the contract
// (createContractHandlers); this file only wires them to IPC, media:// and the window.

import { app, BrowserWindow, session } from 'electron';
import { builtRefitWorker } from '../core/jobs/refit-worker-host';
import { createContractHandlers } from '../core/services/contract-handlers';
import { fileDialogHandlers } from './dialogs';
import { registerContractIpc } from './ipc';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { rendererLocation } from './renderer-location';
import { hardenSession, hardenWebContents } from './security';
import { useElectronSqliteBinding } from './sqlite-binding';
import { utilityProcessHost } from './analysis-process';
import { createMainWindow } from './window';

// One instance: two would write the same project database at once.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerMediaScheme();
  const renderer = rendererLocation();

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, renderer.isAppUrl));

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    useElectronSqliteBinding();
    // The core refuses file dialogs (browser mode has none); the desktop app has real ones.
    const handlers = Object.assign(
      createContractHandlers({
        shell: 'electron',
        processName: 'main',
        version: app.getVersion(),
        dataDir: app.getPath('userData'),
        startAnalysisHost: utilityProcessHost(),
        startRefitWorker: builtRefitWorker(new URL('./refit-worker.js', import.meta.url)),
      }),
      fileDialogHandlers(),
    );
    hardenSession(session.defaultSession);
    registerContractIpc(handlers, renderer.isAppUrl);
    handleMediaProtocol((mediaId) => handlers.resolveMediaPath(mediaId));
    createMainWindow(renderer);

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(renderer);
    });
    app.on('will-quit', () => handlers.close());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
