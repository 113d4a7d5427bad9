/** Runs the built `hclab` CLI (npm test builds before running vitest). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export { haveTestTraces, sampleTrace, testTrace } from '../support/test-traces.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'dist/main/cli/hclab.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `timeoutMs`: kill the CLI after that long (its status is then null). */
export function hclab(args: readonly string[], cwd = REPO, timeoutMs?: number): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses `method,size,misses,miss_ratio` rows; empty cells become null. */
export function parseMrcCsv(
  text: string,
): { method: string; size: number; misses: number | null; ratio: number | null }[] {
  const [header, ...lines] = text.trim().split('\n');
  if (header !== 'method,size,misses,miss_ratio') throw new Error(`unexpected header ${header}`);
  return lines.map((l) => {
    const [method, size, misses, ratio] = l.split(',');
    return {
      method,
      size: Number(size),
      misses: misses === '' ? null : Number(misses),
      ratio: ratio === '' ? null : Number(ratio),
    };
  });
}
