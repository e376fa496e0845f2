import { combineProjects } from '../../core/services/project-combine';
import { UsageError, parseCommandArgs, printResult, requireOption, type Command } from '../command';

async function combine(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { into: { type: 'string' } },
    {
      name: 'project',
      min: 1,
      max: Infinity,
      missing: "name the annotators' projects: project combine --into TEAM.sentiscope A.sentiscope B.sentiscope ...",
    },
  );
  const into = requireOption(values.into, '--into');
  const report = combineProjects({ into, sources: positionals });
  printResult(report);
  if (report.conflicts.length) {
    // Combined all the same; the lead decides each conflict, so say so where a script sees it.
    process.stderr.write(
      `${report.conflicts.length} conflict${report.conflicts.length > 1 ? 's' : ''} (the same annotator with two labels): ` +
        `${into} kept its label for each; see "conflicts"\n`,
    );
  }
  const traces = report.traceConflicts.length;
  if (traces) {
    process.stderr.write(
      `${traces} trace conflict${traces > 1 ? 's' : ''} (the same annotator's rating trace with other values): ` +
        `${into} kept its trace for each; see "traceConflicts"\n`,
    );
  }
  return 0;
}

export const projectCommand: Command = {
  name: 'project',
  usage: 'project combine --into TEAM.sentiscope A.sentiscope B.sentiscope ...',
  summary:
    "bring annotators' copies of a project into one: media by content, segments by clip id or overlap, every label and rating trace kept",
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'combine') return combine(rest);
    throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand: combine');
  },
};
