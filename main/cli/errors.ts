/** Exit codes and the mapping from errors to one clear line on stderr. */
import { CancelledError } from '../engine/control.js';
import { asIoError, IoError } from '../store/io-errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad usage or bad input: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Errors that are the user's input, whatever module raised them. */
const INPUT_ERROR_NAMES = new Set([
  'UsageError',
  'TraceInputError',
  'ValidationError',
  'WorkloadSpecError',
  'SweepDirError',
  'LimitError',
]);

export function exitCodeFor(err: unknown): number {
  if (err instanceof CancelledError) return 130;
  if (err instanceof Error && INPUT_ERROR_NAMES.has(err.name)) return EXIT_USAGE;
  if (isNodeNotFound(err)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

export function messageFor(err: unknown): string {
  if (err instanceof CancelledError) return 'cancelled';
  if (isNodeNotFound(err)) return `${err.path}: no such file`;
  // An I/O error from a file the command named (Node errors carry its path; SQLite's do not).
  const io = asIoError(err, 'a project or trace file');
  if (io instanceof IoError) return io.message;
  if (err instanceof Error) return err.message.split('\n').join(' ');
  return String(err);
}

function isNodeNotFound(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  return (
    err instanceof Error &&
    (err as NodeJS.ErrnoException).code === 'ENOENT' &&
    typeof (err as NodeJS.ErrnoException).path === 'string'
  );
}
