// Tiny runtime validators for requests crossing the contract boundary.
// The loopback server takes JSON from a browser, so every request is checked
// before a handler sees it; a bad one is a 'bad-request' error naming the field.

import { SentiscopeError } from './errors';

export type Validator<T> = (input: unknown, field: string) => T;

function fail(field: string, expected: string): never {
  throw new SentiscopeError('bad-request', `${field || 'request'}: expected ${expected}`);
}

export const none: Validator<void> = () => undefined;

export const str: Validator<string> = (v, f) => (typeof v === 'string' ? v : fail(f, 'a string'));

export const num: Validator<number> = (v, f) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(f, 'a finite number'));

export const int: Validator<number> = (v, f) => (Number.isSafeInteger(v) ? (v as number) : fail(f, 'an integer'));

export const bool: Validator<boolean> = (v, f) => (typeof v === 'boolean' ? v : fail(f, 'true or false'));

export function oneOf<const T extends string>(...values: T[]): Validator<T> {
  return (v, f) => (values.includes(v as T) ? (v as T) : fail(f, `one of ${values.join(', ')}`));
}

export function optional<T>(inner: Validator<T>): Validator<T | undefined> {
  return (v, f) => (v === undefined ? undefined : inner(v, f));
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (v, f) => (v === null ? null : inner(v, f));
}

export function array<T>(inner: Validator<T>): Validator<T[]> {
  return (v, f) => (Array.isArray(v) ? v.map((x, i) => inner(x, `${f}[${i}]`)) : fail(f, 'an array'));
}

type Shape = Record<string, Validator<unknown>>;
type FromShape<S extends Shape> = {
  [K in keyof S as undefined extends ReturnType<S[K]> ? never : K]: ReturnType<S[K]>;
} & {
  [K in keyof S as undefined extends ReturnType<S[K]> ? K : never]?: ReturnType<S[K]>;
};

/** An object with exactly these fields; unknown fields are refused, not ignored. */
export function object<S extends Shape>(shape: S): Validator<FromShape<S>> {
  return (v, f) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(f, 'an object');
    const input = v as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!(key in shape)) fail(f ? `${f}.${key}` : key, 'no such field');
    }
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const value = check(input[key], f ? `${f}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as FromShape<S>;
  };
}
