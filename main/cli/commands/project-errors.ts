/** Project errors that are the user's input (bad or missing file, bad field) exit with 2. */
import { ApiError } from '../../../shared/api/errors.js';
import { UsageError } from '../errors.js';

const USAGE_CODES = new Set(['BAD_INPUT', 'NOT_FOUND', 'CORRUPT', 'NEWER_VERSION']);

export async function usageOnBadInput<T>(job: () => Promise<T> | T): Promise<T> {
  try {
    return await job();
  } catch (err) {
    if (err instanceof ApiError && USAGE_CODES.has(err.code)) throw new UsageError(err.message);
    throw err;
  }
}
