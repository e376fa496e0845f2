// Where the renderer is loaded from, and which URLs count as the app itself:
// the electron-vite dev server in development, out/renderer/index.html when built.

import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** What the window loads. */
  url: string;
  /** True for a URL of the app's own pages; everything else is foreign. */
  isAppUrl(url: string): boolean;
}

const outMainDir = dirname(fileURLToPath(import.meta.url));

export const PRELOAD_PATH = join(outMainDir, '../preload/index.cjs');

export function rendererLocation(): RendererLocation {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (devServer) {
    const origin = new URL(devServer).origin;
    return { url: devServer, isAppUrl: (url) => originOf(url) === origin };
  }
  const indexUrl = pathToFileURL(join(outMainDir, '../renderer/index.html')).href;
  return { url: indexUrl, isAppUrl: (url) => withoutFragmentAndQuery(url) === indexUrl };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function withoutFragmentAndQuery(url: string): string | null {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    parsed.search = '';
    return parsed.href;
  } catch {
    return null;
  }
}
