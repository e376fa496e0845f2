// The run log: every failed contract call lands in <dataDir>/logs with its code, the file it
// names and its stack, while the caller still gets the error itself; errors keep their stack
// across the serialized boundary.

import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { openRunLog } from '../../src/core/services/run-log';
import { SentiscopeError, deserializeError, serializeError } from '../../src/shared/errors';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

describe('run log', () => {
  let dir: string;
  let handlers: ServedContract;

  beforeAll(async () => {
    dir = await makeTempDir('sentiscope-runlog-');
    handlers = createContractHandlers({ shell: 'browser', processName: 'server', version: '0.0.0-test', dataDir: dir });
  });
  afterAll(async () => {
    handlers?.close();
    await removeTempDir(dir);
  });

  it('writes a failed call with its code, file and stack, and still throws it', async () => {
    expect(handlers.logPath).toMatch(/[/\\]logs[/\\]\d{8}T\d{6}Z-server-\d+\.log$/);
    await handlers['project:open']({ path: join(dir, 'p.sentiscope') });
    const missing = join(dir, 'no-such-clip.mp4');
    await expect(Promise.resolve().then(() => handlers['media:add']({ path: missing }))).rejects.toMatchObject({ code: 'file-missing' });
    const text = await readFile(handlers.logPath!, 'utf8');
    expect(text).toContain('start server');
    expect(text).toContain(`error media:add: [file-missing]`);
    expect(text).toContain(`(file: ${missing})`);
    expect(text).toMatch(/\n {4}\s*at /);
  });

  it('keeps only the newest runs', async () => {
    const logs = join(dir, 'many');
    for (let i = 0; i < 25; i++) openRunLog(logs, `run${String(i).padStart(2, '0')}`).note('x');
    const names = await readdir(join(logs, 'logs'));
    expect(names.length).toBeLessThanOrEqual(21);
  });

  it('serialized errors keep their stack, a plain Error becomes internal with its stack', () => {
    const thrown = new SentiscopeError('not-found', 'segment 4 is gone');
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(thrown))));
    expect(back).toMatchObject({ code: 'not-found', message: 'segment 4 is gone', file: null });
    expect(back.stack).toBe(thrown.stack);
    const bug = serializeError(new TypeError('x is undefined'));
    expect(bug.code).toBe('internal');
    expect(bug.stack).toContain('TypeError: x is undefined');
  });
});
