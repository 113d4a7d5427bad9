/** Parsing of numeric command-line values, with errors that name the option. */
import { UsageError } from './errors.js';

export function parseCount(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(`${option}: expected a non-negative integer, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${option}: ${text} is too large`);
  return n;
}

export function parsePositiveCount(option: string, text: string): number {
  const n = parseCount(option, text);
  if (n === 0) throw new UsageError(`${option}: expected a positive integer, got 0`);
  return n;
}

export function parseNumber(option: string, text: string, min = -Infinity, max = Infinity): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    const range =
      Number.isFinite(min) && Number.isFinite(max)
        ? ` in [${min}, ${max}]`
        : Number.isFinite(min)
          ? ` ≥ ${min}`
          : '';
    throw new UsageError(`${option}: expected a number${range}, got '${text}'`);
  }
  return n;
}

export function parseInteger(option: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim()))
    throw new UsageError(`${option}: expected an integer, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${option}: ${text} is too large`);
  return n;
}
