/** Errors that cross the API boundary: a code the UI can act on and a message a person can read. */
export const API_ERROR_CODES = [
  'BAD_INPUT', // a request or file failed validation (the message names the field/line)
  'NOT_FOUND',
  'NO_PROJECT', // the call needs an open project
  'LOCKED', // the project is open in another instance (open read-only instead)
  'READ_ONLY', // the project was opened read-only
  'CORRUPT', // not an HCLab project, truncated or damaged: left untouched
  'NEWER_VERSION', // written by a newer HCLab: refused, left untouched
  'CANCELLED',
  'CONFLICT', // a save based on a stale revision (someone else saved since): reload and retry
  'UNAUTHORIZED', // web transport: missing or wrong token
  'FORBIDDEN', // web transport: a path outside the served root (the message names the rule)
  'IO_ERROR', // a file could not be read or written (disk full, read-only medium, permission…)
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { code: ApiErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isApiErrorPayload(v: unknown): v is { code: ApiErrorCode; message: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    (API_ERROR_CODES as readonly string[]).includes((v as { code: string }).code) &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}
