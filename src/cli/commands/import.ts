import { existsSync, statSync } from 'node:fs';
import { IMPORT_FORMATS, TIER_FORMATS, TRANSCRIPT_FORMATS, type TierFormat } from '../../shared/io-formats';
import { addMediaFile, type ProjectStore } from '../../core/store';
import { importIntoProject } from '../../core/services/project-import';
import { UsageError, oneOfOption, parseCommandArgs, printResult, warnDeprecated, type Command } from '../command';
import { mediaNamed, openProjectOption } from '../project-option';

/**
 * `--media NAME`: the project's item of that name. Until the next release a NAME the project
 * lacks that is a file on disk is still taken as a path (the old meaning), with a warning.
 */
async function mediaItemOption(store: ProjectStore, name: string): Promise<number> {
  const item = store.findMediaByName(name);
  if (item) return item.id;
  if (existsSync(name) && statSync(name).isFile()) {
    warnDeprecated('import', '--media PATH', 'use --media-file PATH (--media names an item of the project)');
    return (await addMediaFile(store, name)).id;
  }
  return mediaNamed(store, name);
}

export const importCommand: Command = {
  name: 'import',
  usage: `import --project DB --format ${IMPORT_FORMATS.join('|')} FILE [--media NAME | --media-file PATH] [--annotator NAME]`,
  summary: 'import labels, posts, segments, a transcript, or ELAN/Praat tiers (labels and rating traces) into a project',
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        project: { type: 'string' },
        format: { type: 'string' },
        media: { type: 'string' },
        'media-file': { type: 'string' },
        annotator: { type: 'string' },
      },
      { name: 'FILE to import', min: 1, max: 1 },
    );
    const format = oneOfOption(values.format, '--format', IMPORT_FORMATS);
    const mediaFile = values['media-file'];
    if (values.media !== undefined && mediaFile !== undefined)
      throw new UsageError('give --media NAME (an item of the project) or --media-file PATH (a file to add), not both');
    const media = values.media ?? mediaFile;
    const transcript = TRANSCRIPT_FORMATS.includes(format);
    if (media !== undefined && !transcript && !TIER_FORMATS.includes(format as TierFormat))
      throw new UsageError(`--media and --media-file go with --format ${[...TRANSCRIPT_FORMATS, ...TIER_FORMATS].join(', ')}`);
    if (media === undefined && transcript)
      throw new UsageError(
        `--format ${format} needs the media the transcript belongs to: --media NAME (an item of the project) or --media-file PATH`,
      );
    const store = openProjectOption(values.project);
    try {
      const mediaId =
        mediaFile !== undefined
          ? (await addMediaFile(store, mediaFile)).id
          : values.media !== undefined
            ? await mediaItemOption(store, values.media)
            : undefined;
      const report = await importIntoProject(store, {
        format,
        path: positionals[0],
        mediaId,
        annotator: values.annotator,
      });
      printResult(report);
    } finally {
      store.close();
    }
  },
};
