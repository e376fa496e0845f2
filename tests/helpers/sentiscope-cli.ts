// The real `sentiscope` bin run as a user runs it, without blocking the test's event loop
// (a worker or a server in the same test process keeps running meanwhile).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SENTISCOPE_BIN = fileURLToPath(new URL('../../bin/sentiscope.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runSentiscope(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SENTISCOPE_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
