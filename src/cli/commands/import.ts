import { IMPORT_FORMATS, TIER_FORMATS, TRANSCRIPT_FORMATS, type TierFormat } from '../../shared/contract';
import { addMediaFile } from '../../core/store';
import { importIntoProject } from '../../core/services/project-import';
import { UsageError, oneOfOption, parseCommandArgs, type Command } from '../command';
import { openProjectOption } from '../project-option';

export const importCommand: Command = {
  name: 'import',
  usage: `import --project DB --format ${IMPORT_FORMATS.join('|')} FILE [--media FILE] [--annotator NAME]`,
  summary: 'import labels, posts, segments, a transcript, or ELAN/Praat tiers into a project',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      project: { type: 'string' },
      format: { type: 'string' },
      media: { type: 'string' },
      annotator: { type: 'string' },
    });
    const format = oneOfOption(values.format, '--format', IMPORT_FORMATS);
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE to import');
    const transcript = TRANSCRIPT_FORMATS.includes(format);
    if (values.media && !transcript && !TIER_FORMATS.includes(format as TierFormat))
      throw new UsageError(`--media goes with --format ${[...TRANSCRIPT_FORMATS, ...TIER_FORMATS].join(', ')}`);
    if (!values.media && transcript) throw new UsageError(`--format ${format} needs --media FILE: the media the transcript belongs to`);
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
