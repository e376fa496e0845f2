#!/usr/bin/env node
// The `sentiscope` command. The CLI is TypeScript run through tsx, so a fresh
// `npm install` gives a working command with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
