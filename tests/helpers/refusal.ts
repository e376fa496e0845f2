// The SentiscopeError a promise is refused with; fails the test if it resolves or rejects
// with anything else.

import { expect } from 'vitest';
import { FileProblemsError } from '../../src/core/io/file-problems';
import { SentiscopeError } from '../../src/shared/errors';

export async function refusal(promise: Promise<unknown>): Promise<SentiscopeError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SentiscopeError);
  return err as SentiscopeError;
}

/** The FileProblemsError a file reader throws (fails the test when it reads the file). */
export function fileRefusal(run: () => unknown): FileProblemsError {
  try {
    run();
  } catch (err) {
    if (err instanceof FileProblemsError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}
