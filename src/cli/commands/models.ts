import { listInstalledModels } from '../../core/models';
import { UsageError, parseCommandArgs, type Command } from '../command';

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export const modelsCommand: Command = {
  name: 'models',
  usage: 'models [--json]',
  summary: 'the fusion packs and component models installed, with size, license and origin',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const models = await listInstalledModels();
    if (values.json) {
      process.stdout.write(JSON.stringify(models, null, 2) + '\n');
      return;
    }
    for (const m of models) {
      const flag = m.problem ? '  REFUSED' : m.isDefault && m.kind === 'fusion-pack' ? '  (default)' : '';
      process.stdout.write(`${m.kind === 'fusion-pack' ? 'pack' : 'component'}  ${m.id}  ${m.version}${flag}\n`);
      process.stdout.write(`    ${m.description}; ${megabytes(m.bytes)}; license: ${m.license}\n`);
      process.stdout.write(`    from: ${m.source}\n    at: ${m.location}\n`);
      if (m.problem) process.stdout.write(`    problem: ${m.problem}\n`);
    }
  },
};
