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
  FORBIDDEN:
    'In web mode every path must be inside the folder `hclab serve` was started with (`--root DIR`, by default your home folder): choose a path there, or restart it with `--root` set to a folder that holds this one.',
  LOCKED: 'The project is open in another HCLab window or command.',
  READ_ONLY: 'The project is open read-only; changes are not saved.',
  CORRUPT: 'This file is not an HCLab project or is damaged; it was left untouched.',
  NEWER_VERSION: 'This project was written by a newer HCLab; it was left untouched.',
  NO_PROJECT: 'Open or create a project first.',
  UNAUTHORIZED:
    'The server refused this page’s access token: open the URL `hclab serve` printed (a page from an earlier server keeps the old token).',
};

/**
 * The file an IO_ERROR message names: main/ words them `FILE: what (ECODE); what to do`
 * (main/store/io-errors.ts). Null when the message has another form.
 */
export function ioErrorFile(message: string): string | null {
  const m = /^(.+): [^:\n]* \(E[A-Z]+\); /.exec(message);
  return m === null ? null : m[1];
}

/** A line of advice for an error code (the message itself says what happened), if any. */
export function errorHint(code: string, message = ''): string | undefined {
  if (code === 'IO_ERROR') {
    const file = ioErrorFile(message);
    return `Check the free space on the disk and the permissions of ${
      file === null ? 'the file named above' : file
    } and its folder, then try again.`;
  }
  return CODE_HINTS[code];
}

/** An error as the text to show: its message, then its hint (if any) on a line of its own. */
export function errorText(e: unknown): string {
  const ue = toUiError(e);
  const hint = errorHint(ue.code, ue.message);
  return hint === undefined ? ue.message : `${ue.message}\n${hint}`;
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
