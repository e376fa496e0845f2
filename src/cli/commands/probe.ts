import { probeMedia } from '../../core/media';
import { parseCommandArgs, printResult, type Command } from '../command';

export const probeCommand: Command = {
  name: 'probe',
  usage: 'probe FILE',
  summary: 'print duration and streams of a media file as JSON',
  async run(args) {
    const { positionals } = parseCommandArgs(args, {}, { name: 'FILE', min: 1, max: 1 });
    const info = await probeMedia(positionals[0]);
    printResult(info);
  },
};
