import {
  addModelFolder,
  downloadModelFolder,
  getCatalogModel,
  hubEndpoint,
  listInstalledModels,
  recommendedModels,
  removeModel,
  type AddedModel,
} from '../../core/models';
import type { ModelDownloadProgress } from '../../shared/model-catalog';
import type { InstalledModel } from '../../shared/model-catalog';
import { parseCommandArgs, printResult, progressLine, requireOption, warnDeprecated, type Command } from '../command';
import { cliModelRoots } from '../model-option';

// Every subcommand's result is JSON on stdout; the listings keep a human table behind --table,
// and what was done is also said in a line on stderr.
const say = progressLine('models');

/** The listings were text unless --json until JSON became every command's default; --json is kept for one release. */
const LISTING_OPTIONS = { table: { type: 'boolean' }, json: { type: 'boolean' } } as const;

function wantsTable(values: { table?: boolean; json?: boolean }, flag: string): boolean {
  if (values.json) warnDeprecated('models', flag, 'JSON is the default now (--table for the table)');
  return values.table === true;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const KIND_LABEL: Record<InstalledModel['kind'], string> = {
  'fusion-pack': 'pack',
  'speech-recognizer': 'speech-recognizer',
  encoder: 'encoder',
  component: 'component',
};

function printModel(m: InstalledModel): void {
  const flag = m.problem ? '  REFUSED' : m.isDefault && m.kind === 'fusion-pack' ? '  (default)' : '';
  const root = m.kind === 'component' ? '' : `  [${m.root}]`;
  const version = m.kind === 'fusion-pack' || m.kind === 'component' ? `  ${m.version}` : '';
  process.stdout.write(`${KIND_LABEL[m.kind]}  ${m.id}${version}${root}${flag}\n`);
  process.stdout.write(`    ${m.description}; ${megabytes(m.bytes)}; license: ${m.license}\n`);
  process.stdout.write(`    from: ${m.source}\n    at: ${m.location}\n`);
  if (m.problem) process.stdout.write(`    problem: ${m.problem}\n`);
}

async function list(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(args, LISTING_OPTIONS);
  const table = wantsTable(values, '--json');
  const models = await listInstalledModels(cliModelRoots());
  if (!table) return printResult(models);
  for (const m of models) printModel(m);
}

/** "tiny-late-fusion 0.0.1" for a pack, "speech-recognizer whisper-base" for a pretrained folder. */
function describeAdded(added: AddedModel): string {
  return added.kind === 'fusion-pack' ? `${added.id} ${added.version}` : `${KIND_LABEL[added.kind]} ${added.id}`;
}

async function add(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    args,
    { id: { type: 'string' } },
    { name: 'DIR', min: 1, max: 1, missing: 'give one model folder: models add DIR [--id NAME]' },
  );
  const added = await addModelFolder(positionals[0], cliModelRoots(), { id: values.id });
  say(`added ${describeAdded(added)} at ${added.dir}`);
  printResult(added);
}

async function remove(args: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(args, {}, { name: 'ID', min: 1, max: 1, missing: 'give one model id: models remove ID' });
  const dir = await removeModel(positionals[0], cliModelRoots());
  say(`removed ${positionals[0]} (${dir})`);
  printResult({ id: positionals[0], dir });
}

/** One stderr line per percent: "download ID: 42% (1234 of 5678 bytes) FILE". */
function progressPrinter(id: string): (p: ModelDownloadProgress) => void {
  let shown = -1;
  return (p) => {
    if (p.percent === shown) return;
    shown = p.percent;
    process.stderr.write(`download ${id}: ${p.percent}% (${p.bytes} of ${p.total} bytes)${p.file ? ` ${p.file}` : ''}\n`);
  };
}

async function download(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    args,
    { index: { type: 'string' } },
    { name: 'ID', min: 1, max: 1, missing: 'give one model id: models download ID --index URL' },
  );
  const indexUrl = requireOption(values.index, '--index');
  const added = await downloadModelFolder({ indexUrl, id: positionals[0] }, cliModelRoots(), {
    onProgress: progressPrinter(positionals[0]),
  });
  say(`downloaded ${describeAdded(added)} to ${added.dir}`);
  printResult({ ...added, from: indexUrl });
}

/** Exit code of a get stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

/** A catalog model from the Hub at its pinned revision; Ctrl-C keeps the part fetched for the next get to resume. */
async function get(args: string[]): Promise<number | void> {
  const { values, positionals } = parseCommandArgs(
    args,
    { hub: { type: 'string' } },
    { name: 'ID', min: 1, max: 1, missing: 'give one catalog id: models get ID [--hub URL] (see models catalog)' },
  );
  const id = positionals[0];
  const hub = hubEndpoint(values.hub);
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once('SIGINT', interrupt);
  try {
    const added = await getCatalogModel({ id, hub }, cliModelRoots(), { signal: abort.signal, onProgress: progressPrinter(id) });
    say(`got ${describeAdded(added)} from ${hub} to ${added.dir}`);
    printResult({ ...added, from: hub });
  } catch (err) {
    if (!abort.signal.aborted) throw err;
    say(`get ${id} interrupted; nothing was installed, the part fetched is kept: run the same get to resume.`);
    return INTERRUPTED;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/** The recommended models `models get` can fetch; listing them fetches nothing. */
function catalog(args: string[]): void {
  const { values } = parseCommandArgs(args, LISTING_OPTIONS);
  const table = wantsTable(values, 'catalog --json');
  const models = recommendedModels();
  if (!table) return printResult(models);
  for (const m of models) {
    const languages = m.multilingual
      ? `${m.languages.length} languages (${m.languages.slice(0, 4).join(', ')}, ...)`
      : m.languages.join(', ');
    process.stdout.write(`${m.kind}  ${m.id}  about ${megabytes(m.bytes)}; license: ${m.license}; ${languages}\n`);
    process.stdout.write(`    ${m.goodFor}\n    from: ${m.repo} @ ${m.revision}\n`);
    process.stdout.write(`    speed: ${m.speedRtf === null ? m.speedNote : `${m.speedRtf}x real time`}\n`);
  }
}

export const modelsCommand: Command = {
  name: 'models',
  usage:
    'models [--table] | models catalog [--table] | models get ID [--hub URL] | models add DIR [--id NAME] | models remove ID | models download ID --index URL',
  summary:
    'the fusion packs, pretrained folders (Whisper, encoders) and component models installed (size, license, origin); the catalog of recommended models and getting one from the Hub; add one from a folder, remove one, download one by id',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'catalog') return catalog(rest);
    if (sub === 'get') return get(rest);
    if (sub === 'add') return add(rest);
    if (sub === 'remove') return remove(rest);
    if (sub === 'download') return download(rest);
    return list(args);
  },
};
