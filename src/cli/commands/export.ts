import { EXPORT_AGGREGATES, EXPORT_FORMATS, ONE_MEDIA_EXPORT_FORMATS } from '../../shared/io-formats';
import { exportFromProject } from '../../core/services/project-export';
import { UsageError, countOption, oneOfOption, parseCommandArgs, printResult, requireOption, type Command } from '../command';
import { mediaNamed, openProjectOption } from '../project-option';

export const exportCommand: Command = {
  name: 'export',
  usage: `export --project DB --format ${EXPORT_FORMATS.join('|')} --out FILE [--media NAME] [--annotator NAME] [--aggregate ${EXPORT_AGGREGATES.join('|')}] [--min-annotators K]`,
  summary:
    "write a project's human labels as MMSA label.csv, MVSA or segments CSV, or a media item's transcript, ELAN or Praat tiers (with live mode's rating traces); the traces alone as CSV (trace)",
  async run(args) {
    const { values } = parseCommandArgs(args, {
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      annotator: { type: 'string' },
      media: { type: 'string' },
      aggregate: { type: 'string' },
      'min-annotators': { type: 'string' },
    });
    const format = oneOfOption(values.format, '--format', EXPORT_FORMATS);
    const out = requireOption(values.out, '--out');
    const aggregate = values.aggregate === undefined ? undefined : oneOfOption(values.aggregate, '--aggregate', EXPORT_AGGREGATES);
    const minAnnotators = countOption(values['min-annotators'], '--min-annotators');
    const store = openProjectOption(values.project);
    try {
      const mediaIds = values.media === undefined ? undefined : [mediaNamed(store, values.media)];
      if (ONE_MEDIA_EXPORT_FORMATS.includes(format) && !mediaIds) throw new UsageError(`--format ${format} needs --media NAME`);
      const report = await exportFromProject(store, { format, path: out, annotator: values.annotator, mediaIds, aggregate, minAnnotators });
      printResult(report);
    } finally {
      store.close();
    }
  },
};
