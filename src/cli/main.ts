// `sentiscope` — the command-line face of the same core services the app uses.
// Only commands that are built are listed; there are no placeholders.

import { SentiscopeError } from '../shared/errors';
import { UsageError, type Command } from './command';
import { infoCommand } from './commands/info';
import { probeCommand } from './commands/probe';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { evalCommand } from './commands/eval';
import { serveCommand } from './commands/serve';
import { predictCommand } from './commands/predict';
import { featuresCommand } from './commands/features';
import { modelsCommand } from './commands/models';
import { analyzeCommand } from './commands/analyze';
import { benchCommand } from './commands/bench';
import { transcribeCommand } from './commands/transcribe';
import { agreementCommand } from './commands/agreement';
import { mergeCommand } from './commands/merge';
import { projectCommand } from './commands/project';
import { refitCommand } from './commands/refit';
import { queueCommand } from './commands/queue';

const COMMANDS: Command[] = [
  infoCommand,
  probeCommand,
  importCommand,
  exportCommand,
  evalCommand,
  serveCommand,
  featuresCommand,
  predictCommand,
  modelsCommand,
  refitCommand,
  queueCommand,
  analyzeCommand,
  transcribeCommand,
  mergeCommand,
  agreementCommand,
  projectCommand,
  benchCommand,
];

function helpText(): string {
  const lines = COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  return ['Usage: sentiscope <command> [options]', '', 'Commands:', ...lines, ''].join('\n');
}

/** Runs the CLI and returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`sentiscope: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`sentiscope ${name}: ${err.message}\nusage: sentiscope ${command.usage}\n`);
      return 2;
    }
    if (err instanceof SentiscopeError) {
      // One line, naming the file, so batch scripts can log it as is.
      process.stderr.write(`sentiscope ${name}: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    process.stderr.write(`sentiscope ${name}: unexpected error: ${(err as Error)?.stack ?? err}\n`);
    return 1;
  }
}
