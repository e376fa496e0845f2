import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the CLI keeps caches (waveform peaks): SENTISCOPE_DATA_DIR, else the
 * platform's per-user cache folder. The desktop app uses Electron's userData instead.
 */
export function cliDataDir(): string {
  if (process.env.SENTISCOPE_DATA_DIR) return process.env.SENTISCOPE_DATA_DIR;
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'Sentiscope');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Sentiscope');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sentiscope');
}
