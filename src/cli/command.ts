// What every CLI command looks like, argument parsing on top of node:util, and the few
// habits every command shares: positionals counted in one place, old spellings that warn,
// the result as JSON on stdout (progress and warnings go to stderr).

import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code; undefined means 0. */
  run(args: string[]): Promise<number | void>;
}

/** A mistake in how the command was called (exit code 2, usage printed). */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The arguments a command takes besides its flags: `min` to `max` of `name` ("FILE"). */
export interface Positionals {
  name: string;
  min: number;
  max: number;
  /** Said when fewer than `min` are given (default "expected one FILE"). */
  missing?: string;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three'];

/**
 * Flags as `options` declare them, and positionals as `takes` allows: none when absent, so
 * a stray word (a flag's value given twice, a typo) is refused rather than ignored.
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, takes?: Positionals) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { positionals } = parsed;
  const max = takes?.max ?? 0;
  if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`);
  if (takes && positionals.length < takes.min) {
    const count = takes.min === takes.max ? (NUMBER_WORDS[takes.min] ?? String(takes.min)) : `at least ${takes.min}`;
    throw new UsageError(takes.missing ?? `expected ${count} ${takes.name}`);
  }
  return parsed;
}

/** The line a command writes on stderr for an old spelling that still works this release ("use --y"). */
export function warnDeprecated(command: string, old: string, advice: string): void {
  process.stderr.write(`sentiscope ${command}: ${old} is deprecated; ${advice}\n`);
}

/**
 * A flag renamed this release: the new flag's value, else the old one's with a warning.
 * Both at once is refused, since they might disagree.
 */
export function renamedOption(command: string, values: Record<string, unknown>, old: string, current: string): string | undefined {
  const oldValue = values[old] as string | undefined;
  const value = values[current] as string | undefined;
  if (oldValue === undefined) return value;
  if (value !== undefined) throw new UsageError(`give --${current} only (--${old} is its old spelling)`);
  warnDeprecated(command, `--${old}`, `use --${current}`);
  return oldValue;
}

/** A command's result: one JSON document on stdout, what scripts read. */
export function printResult(result: unknown): void {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

/** One line of progress or a note on stderr, prefixed with the command. */
export function progressLine(command: string): (line: string) => void {
  return (line) => process.stderr.write(`sentiscope ${command}: ${line}\n`);
}

export function requireOption(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

export function oneOfOption<const T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T {
  const v = requireOption(value, flag);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${v}')`);
  }
  return v as T;
}

/** A whole number >= min, or undefined when the flag is absent. */
export function wholeNumberOption(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number >= ${min} (got '${value}')`);
  return n;
}

/** A whole number >= 1, or undefined when the flag is absent. */
export function countOption(value: string | undefined, flag: string): number | undefined {
  return wholeNumberOption(value, flag, 1);
}

/** --threads N: a whole number >= 1, or undefined when the flag is absent. */
export function threadsOption(value: string | undefined): number | undefined {
  return countOption(value, '--threads');
}
