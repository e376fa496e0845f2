// The SentiscopeError a promise is refused with; fails the test if it resolves or rejects
// with anything else.

import { expect } from 'vitest';
import { SentiscopeError } from '../../src/shared/errors';

export async function refusal(promise: Promise<unknown>): Promise<SentiscopeError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SentiscopeError);
  return err as SentiscopeError;
}
