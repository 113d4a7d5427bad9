/**
 * Where a worker thread's script is: the compiled module `name` beside the calling module (`from`,
 * its import.meta.url) when running from dist/, or its compiled copy under dist/ when running the
 * TypeScript sources (tests run the sources; worker threads need JavaScript).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository (or the package) root: this module is main/service/ of it, or dist/main/service/. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The script `name` beside `from`, else its copy under dist/; null when neither exists. */
export function findWorkerScript(from: string, name: string): URL | null {
  const here = new URL(`./${name}`, from);
  if (existsSync(fileURLToPath(here))) return here;
  const inDist = path.join(ROOT, 'dist', path.relative(ROOT, fileURLToPath(here)));
  return existsSync(inDist) ? pathToFileURL(inDist) : null;
}

/** {@link findWorkerScript}, or an error saying to build. */
export function workerScript(from: string, name: string): URL {
  const url = findWorkerScript(from, name);
  if (url === null)
    throw new Error(`${fileURLToPath(new URL(`./${name}`, from))} is missing: run npm run build`);
  return url;
}
