import { resolveMediaTools } from '../../core/media';
import { APP_VERSION } from '../app-version';
import { UsageError, parseCommandArgs, type Command } from '../command';
import { cliDataDir } from '../data-dir';

export const infoCommand: Command = {
  name: 'info',
  usage: 'info',
  summary: 'which ffmpeg and ffprobe Sentiscope uses (path, version, where found), as JSON',
  async run(args) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const tools = resolveMediaTools();
    const info = { version: APP_VERSION, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, dataDir: cliDataDir() };
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
  },
};
