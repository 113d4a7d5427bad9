/**
 * Field schemas with error messages in one style ("expected …"), so that a validation error
 * reads `vms[1].guestPages: expected a positive integer, got -5` once formatted.
 */
import { z } from 'zod';

/** Largest page count or page id: pages are stored in Int32Array. */
export const MAX_PAGES = 2147483647;

/**
 * Most references one generated workload may have (README "Limits"): 10^12, days of simulation;
 * longer experiments are split into runs.
 */
export const MAX_GENERATED_REFS = 1e12;

/** Longest file path accepted (bytes of UTF-8), as Linux's PATH_MAX. */
export const MAX_PATH_BYTES = 4096;

function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** A file path: non-empty, no NUL byte, at most {@link MAX_PATH_BYTES} bytes. */
export function filePath() {
  const expected = 'expected a file path';
  return z
    .string({ error: expected })
    .min(1, { error: 'expected a non-empty string' })
    .refine((p) => !p.includes('\0'), { error: 'expected a file path without NUL bytes' })
    .refine((p) => p.length <= MAX_PATH_BYTES && utf8Bytes(p) <= MAX_PATH_BYTES, {
      error: `expected a file path of at most ${MAX_PATH_BYTES} bytes (the path length limit)`,
    });
}

function int(expected: string) {
  return z.number({ error: expected }).int({ error: expected });
}

/** Integer ≥ 1. */
export function positiveInt(max = Number.MAX_SAFE_INTEGER) {
  const expected = 'expected a positive integer';
  return int(expected)
    .min(1, { error: expected })
    .max(max, { error: `expected a positive integer of at most ${max}` });
}

/** Integer ≥ 0. */
export function nonNegativeInt(max = Number.MAX_SAFE_INTEGER) {
  const expected = 'expected an integer ≥ 0';
  return int(expected)
    .min(0, { error: expected })
    .max(max, { error: `expected an integer from 0 to ${max}` });
}

/** A page count (1 .. 2^31-1). */
export function pageCount() {
  return positiveInt(MAX_PAGES);
}

/** Any integer (seeds). */
export function anyInt() {
  return int('expected an integer');
}

/** Number > 0. */
export function positiveNumber() {
  const expected = 'expected a positive number';
  return z.number({ error: expected }).positive({ error: expected });
}

/** Number ≥ 0. */
export function nonNegativeNumber() {
  const expected = 'expected a number ≥ 0';
  return z.number({ error: expected }).min(0, { error: expected });
}

/** Probability or share in [0, 1]. */
export function fraction() {
  const expected = 'expected a number from 0 to 1';
  return z.number({ error: expected }).min(0, { error: expected }).max(1, { error: expected });
}

/** Share in (0, 1]. */
export function positiveFraction() {
  const expected = 'expected a number greater than 0 and at most 1';
  return z.number({ error: expected }).positive({ error: expected }).max(1, { error: expected });
}

/** One of a fixed list of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => `'${v}'`).join(', ')}` });
}

export function flag() {
  return z.boolean({ error: 'expected true or false' });
}

export function nonEmptyString() {
  const expected = 'expected a non-empty string';
  return z.string({ error: expected }).min(1, { error: expected });
}

/** A name: not empty and not only spaces (each with its own message). */
export function nameString() {
  return nonEmptyString().refine((s) => s === '' || s.trim() !== '', {
    error: 'expected a name that is not only spaces',
  });
}
