import { resolveMediaTools } from '../../core/media';
import { APP_VERSION } from '../app-version';
import { parseCommandArgs, printResult, type Command } from '../command';
import { cliDataDir } from '../data-dir';

export const infoCommand: Command = {
  name: 'info',
  usage: 'info',
  summary: 'which ffmpeg and ffprobe Sentiscope uses (path, version, where found), as JSON',
  async run(args) {
    parseCommandArgs(args, {});
    const tools = resolveMediaTools();
    const info = { version: APP_VERSION, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, dataDir: cliDataDir() };
    printResult(info);
  },
};
