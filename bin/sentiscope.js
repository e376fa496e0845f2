#!/usr/bin/env node
// The `sentiscope` command. The CLI is TypeScript run through tsx, so a fresh
// `npm install` gives a working command with no build step.
import { register } from 'tsx/esm/api';

// A reader that goes away early (`sentiscope models | head`) is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
