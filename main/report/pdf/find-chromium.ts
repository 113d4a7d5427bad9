/**
 * The system's Chromium for printing reports: $HCLAB_CHROMIUM when set (it must exist), else the
 * first of the usual install paths and command names found on PATH. null: none.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An error when HCLAB_CHROMIUM names no executable (say so rather than silently skip the PDF). */
export class ChromiumSettingError extends Error {
  constructor(value: string) {
    super(`HCLAB_CHROMIUM=${value}: no executable there; set it to Chromium's path or unset it`);
    this.name = 'ChromiumSettingError';
  }
}

/** `paths`: the install paths tried before PATH (tests give their own). */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  paths: readonly string[] = PATHS,
): string | null {
  const set = env.HCLAB_CHROMIUM;
  if (set !== undefined && set !== '') {
    if (!executable(set)) throw new ChromiumSettingError(set);
    return set;
  }
  for (const p of paths) if (executable(p)) return p;
  for (const dir of (env.PATH ?? '').split(path.delimiter))
    for (const n of NAMES)
      if (dir !== '' && executable(path.join(dir, n))) return path.join(dir, n);
  return null;
}
