#!/usr/bin/env node
// better-sqlite3 is a V8 addon: the build in node_modules matches Node's ABI (the CLI and
// the tests run on it) and cannot load in Electron. This builds a second copy for the
// installed Electron into out/native/, which the main process loads through
// better-sqlite3's `nativeBinding` option, leaving node_modules untouched.
// Runs before `npm start` / `npm run dev`; a no-op once the copy exists.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = require('electron/package.json').version;
const target = join(root, 'out', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'sentiscope-sqlite-electron-'));
cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });

// A `nodedir` npm setting would make node-gyp compile against Node's headers and give a
// binary Electron refuses; Electron's own headers are what this build needs.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
env.npm_config_userconfig = join(work, 'empty-npmrc'); // npx would read `nodedir` back from ~/.npmrc
const run = (command, args) => execFileSync(command, args, { cwd: work, stdio: 'inherit', env });
const electronArgs = [`--runtime=electron`, `--target=${electronVersion}`, `--arch=${process.arch}`];
function buildInto(work) {
  try {
    console.log(`Fetching better-sqlite3 prebuilt for Electron ${electronVersion}...`);
    run(process.execPath, [join(root, 'node_modules', 'prebuild-install', 'bin.js'), ...electronArgs]);
  } catch {
    console.log(`No prebuilt; compiling better-sqlite3 against Electron ${electronVersion} headers...`);
    const nodeGyp = process.env.npm_config_node_gyp;
    const gyp = nodeGyp ? [process.execPath, [nodeGyp]] : ['npx', ['--yes', 'node-gyp']];
    const headers = join(work, '.electron-gyp');
    run(gyp[0], [...gyp[1], 'rebuild', '--release', ...electronArgs, `--devdir=${headers}`, '--dist-url=https://electronjs.org/headers']);
  }
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
}

try {
  buildInto(work);
  console.log(`better-sqlite3 for Electron ${electronVersion}: ${target}`);
} catch {
  console.error(
    `Could not get better-sqlite3 for Electron ${electronVersion} (it needs a prebuilt download or Electron's headers ` +
      'and a C++ toolchain). The CLI and browser mode (`npx sentiscope serve`) work without it.',
  );
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
