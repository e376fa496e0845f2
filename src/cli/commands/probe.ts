import { probeMedia } from '../../core/media';
import { UsageError, parseCommandArgs, type Command } from '../command';

export const probeCommand: Command = {
  name: 'probe',
  usage: 'probe FILE',
  summary: 'print duration and streams of a media file as JSON',
  async run(args) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
    const info = await probeMedia(positionals[0]);
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
  },
};
