// The main window: the renderer in a sandbox with context isolation, reaching the
// core only through the preload's contract bridge.

import { BrowserWindow } from 'electron';
import { PRELOAD_PATH, type RendererLocation } from './renderer-location';

export function createMainWindow(renderer: RendererLocation): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Sentiscope',
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(renderer.url);
  return window;
}
