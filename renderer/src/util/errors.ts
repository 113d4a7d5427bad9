/** Turning API errors into text a researcher can act on. */

export interface UiError {
  code: string;
  message: string;
}

export function toUiError(e: unknown): UiError {
  if (typeof e === 'object' && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : 'INTERNAL',
      message: typeof message === 'string' ? message : String(e),
    };
  }
  return { code: 'INTERNAL', message: String(e) };
}

const CODE_HINTS: Record<string, string> = {
  LOCKED: 'The project is open in another HCLab window or command.',
  READ_ONLY: 'The project is open read-only; changes are not saved.',
  CORRUPT: 'This file is not an HCLab project or is damaged; it was left untouched.',
  NEWER_VERSION: 'This project was written by a newer HCLab; it was left untouched.',
  NO_PROJECT: 'Open or create a project first.',
  UNAUTHORIZED:
    'The server refused this page’s access token: open the URL `hclab serve` printed (a page from an earlier server keeps the old token).',
};

export function errorHint(code: string): string | undefined {
  return CODE_HINTS[code];
}

/**
 * Splits a validation message (one problem per line, `source: path: message` or
 * `path: message`) into messages per field path, e.g. `writeback.interval` → `expected …`.
 * Problems whose path is not one of `knownPaths` are returned under ''.
 */
export function fieldErrors(
  message: string,
  knownPaths: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const sorted = [...knownPaths].sort((a, b) => b.length - a.length);
  for (const line of message.split('\n')) {
    const path = sorted.find(
      (p) => line.startsWith(`${p}: `) || line.includes(` ${p}: `) || line.includes(`.${p}: `),
    );
    const key = path ?? '';
    const text =
      path === undefined ? line : line.slice(line.indexOf(`${path}: `) + path.length + 2);
    out[key] = out[key] === undefined ? text : `${out[key]}\n${text}`;
  }
  return out;
}
