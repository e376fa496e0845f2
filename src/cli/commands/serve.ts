import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContractHandlers } from '../../core/services/contract-handlers';
import { startLoopbackServer } from '../../server/loopback-server';
import { APP_VERSION } from '../app-version';
import { UsageError, parseCommandArgs, type Command } from '../command';
import { cliDataDir } from '../data-dir';

const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../out/web');

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--project DB] [--port N]',
  summary: 'browser mode: the app UI on 127.0.0.1 behind a per-run token',
  async run(args) {
    const { values } = parseCommandArgs(args, {
      project: { type: 'string' },
      port: { type: 'string' },
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');

    const handlers = createContractHandlers({
      shell: 'browser',
      processName: 'server',
      version: APP_VERSION,
      dataDir: cliDataDir(),
      projectPath: values.project,
    });
    const server = await startLoopbackServer({
      handlers,
      // Checked per request: building the UI while serving works after a reload.
      webRoot: WEB_ROOT,
      resolveMediaPath: (mediaId) => handlers.resolveMediaPath(mediaId),
      port,
    });
    // Contract: the first line of output is the URL to open, token included.
    process.stdout.write(`${server.url}\n`);
    if (!existsSync(join(WEB_ROOT, 'index.html'))) {
      process.stderr.write('The UI is not built yet: run `npm run build:web`, then reload the page.\n');
    }

    await new Promise<void>((done) => {
      const stop = () => void server.close().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    handlers.close();
  },
};
