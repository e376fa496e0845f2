import { addModelFromFolder, downloadModel, listInstalledModels, removeAddedModel } from '../../core/models';
import type { InstalledModel } from '../../shared/model-catalog';
import { UsageError, parseCommandArgs, requireOption, type Command } from '../command';
import { cliModelRoots } from '../model-option';

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function printModel(m: InstalledModel): void {
  const flag = m.problem ? '  REFUSED' : m.isDefault && m.kind === 'fusion-pack' ? '  (default)' : '';
  const root = m.kind === 'fusion-pack' ? `  [${m.root}]` : '';
  process.stdout.write(`${m.kind === 'fusion-pack' ? 'pack' : 'component'}  ${m.id}  ${m.version}${root}${flag}\n`);
  process.stdout.write(`    ${m.description}; ${megabytes(m.bytes)}; license: ${m.license}\n`);
  process.stdout.write(`    from: ${m.source}\n    at: ${m.location}\n`);
  if (m.problem) process.stdout.write(`    problem: ${m.problem}\n`);
}

async function list(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const models = await listInstalledModels(cliModelRoots());
  if (values.json) {
    process.stdout.write(JSON.stringify(models, null, 2) + '\n');
    return;
  }
  for (const m of models) printModel(m);
}

async function add(args: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length !== 1) throw new UsageError('give one pack folder: models add DIR');
  const pack = await addModelFromFolder(positionals[0], cliModelRoots());
  process.stdout.write(`added ${pack.manifest.id} ${pack.manifest.version} at ${pack.dir}\n`);
}

async function remove(args: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length !== 1) throw new UsageError('give one model id: models remove ID');
  const dir = await removeAddedModel(positionals[0], cliModelRoots());
  process.stdout.write(`removed ${positionals[0]} (${dir})\n`);
}

async function download(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, { index: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give one model id: models download ID --index URL');
  const indexUrl = requireOption(values.index, '--index');
  let shown = -1;
  const pack = await downloadModel({ indexUrl, id: positionals[0] }, cliModelRoots(), {
    onProgress: (p) => {
      if (p.percent === shown) return;
      shown = p.percent;
      process.stderr.write(`download ${positionals[0]}: ${p.percent}% (${p.bytes} of ${p.total} bytes)${p.file ? ` ${p.file}` : ''}\n`);
    },
  });
  process.stdout.write(`downloaded ${pack.manifest.id} ${pack.manifest.version} to ${pack.dir}\n`);
}

export const modelsCommand: Command = {
  name: 'models',
  usage: 'models [--json] | models add DIR | models remove ID | models download ID --index URL',
  summary: 'the fusion packs and component models installed (size, license, origin); add, remove or download a pack',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'add') return add(rest);
    if (sub === 'remove') return remove(rest);
    if (sub === 'download') return download(rest);
    return list(args);
  },
};
