import type { ImportFormat } from '../../shared/contract';
import { addMediaFile } from '../../core/services/media-library';
import { importIntoProject } from '../../core/services/project-import';
import { UsageError, oneOfOption, parseCommandArgs, type Command } from '../command';
import { openProjectOption } from '../project-option';

const FORMATS: readonly ImportFormat[] = ['mosi', 'mvsa', 'segments', 'srt', 'vtt'];

export const importCommand: Command = {
  name: 'import',
  usage: 'import --project DB --format mosi|mvsa|segments|srt|vtt FILE [--media FILE] [--annotator NAME]',
  summary: 'import labels, posts, segments or a transcript into a project',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      project: { type: 'string' },
      format: { type: 'string' },
      media: { type: 'string' },
      annotator: { type: 'string' },
    });
    const format = oneOfOption(values.format, '--format', FORMATS);
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE to import');
    if (values.media && format !== 'srt' && format !== 'vtt') {
      throw new UsageError('--media goes with --format srt or vtt');
    }
    const store = openProjectOption(values.project);
    try {
      const mediaId = values.media ? (await addMediaFile(store, values.media)).id : undefined;
      const report = await importIntoProject(store, {
        format,
        path: positionals[0],
        mediaId,
        annotator: values.annotator,
      });
      process.stdout.write(JSON.stringify(report) + '\n');
    } finally {
      store.close();
    }
  },
};
