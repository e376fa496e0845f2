import type { ExportFormat } from '../../shared/contract';
import { exportFromProject } from '../../core/services/project-export';
import { UsageError, oneOfOption, parseCommandArgs, requireOption, type Command } from '../command';
import { openProjectOption } from '../project-option';

const FORMATS: readonly ExportFormat[] = ['mosi', 'mvsa', 'segments'];

export const exportCommand: Command = {
  name: 'export',
  usage: 'export --project DB --format mosi|mvsa|segments --out FILE [--annotator NAME]',
  summary: "write a project's human labels as MMSA label.csv, MVSA or segments CSV",
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      annotator: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const format = oneOfOption(values.format, '--format', FORMATS);
    const out = requireOption(values.out, '--out');
    const store = openProjectOption(values.project);
    try {
      const report = await exportFromProject(store, { format, path: out, annotator: values.annotator });
      process.stdout.write(JSON.stringify(report) + '\n');
    } finally {
      store.close();
    }
  },
};
