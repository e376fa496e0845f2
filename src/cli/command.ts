// What every CLI command looks like, and argument parsing on top of node:util.

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

export function parseCommandArgs<O extends Options>(args: string[], options: O, positionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
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

/** A whole number >= 1, or undefined when the flag is absent. */
export function countOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number >= 1 (got '${value}')`);
  return n;
}

/** --threads N: a whole number >= 1, or undefined when the flag is absent. */
export function threadsOption(value: string | undefined): number | undefined {
  return countOption(value, '--threads');
}
