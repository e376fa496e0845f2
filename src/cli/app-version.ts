import { createRequire } from 'node:module';

/** The CLI runs from source (bin/sentiscope.js), so package.json sits two folders up. */
export const APP_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
