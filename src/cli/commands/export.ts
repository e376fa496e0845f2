import { EXPORT_FORMATS } from '../../shared/contract';
import { exportFromProject } from '../../core/services/project-export';
import { UsageError, oneOfOption, parseCommandArgs, requireOption, type Command } from '../command';
import { mediaNamed, openProjectOption } from '../project-option';

const FORMATS = EXPORT_FORMATS;

export const exportCommand: Command = {
  name: 'export',
  usage: `export --project DB --format ${FORMATS.join('|')} --out FILE [--media NAME] [--annotator NAME]`,
  summary: "write a project's human labels as MMSA label.csv, MVSA or segments CSV, or a media item's transcript, ELAN or Praat tiers",
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      annotator: { type: 'string' },
      media: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const format = oneOfOption(values.format, '--format', FORMATS);
    const out = requireOption(values.out, '--out');
    const store = openProjectOption(values.project);
    try {
      const mediaIds = values.media === undefined ? undefined : [mediaNamed(store, values.media)];
      if (['srt', 'vtt', 'eaf', 'textgrid'].includes(format) && !mediaIds) throw new UsageError(`--format ${format} needs --media NAME`);
      const report = await exportFromProject(store, { format, path: out, annotator: values.annotator, mediaIds });
      process.stdout.write(JSON.stringify(report) + '\n');
    } finally {
      store.close();
    }
  },
};
