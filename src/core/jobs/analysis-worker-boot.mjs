// Plain JavaScript on purpose: a worker thread does not inherit the main thread's tsx
// loader (module.register hooks stay with the thread that registered them, and Node 20
// ignores --import in a Worker's execArgv). This file registers tsx in the worker, then
// loads the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
