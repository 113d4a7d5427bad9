/**
 * The Electron binary for the tests that launch the real desktop app (test/electron,
 * test/conformance's `electron` transport), with what it needs to open projects: better-sqlite3
 * built for that binary's own Electron version. npm builds better-sqlite3 for Node; `npm start`
 * prepares an Electron build in node_modules/.cache/hclab-electron-sqlite/<version>/, and any
 * build can be named with HCLAB_SQLITE_BINDING. Without a binary that launches, or without a
 * binding that loads in it, those tests are skipped with the reason.
 *
 * The binary is the `electron` package's (ELECTRON_OVERRIDE_DIST_PATH points that package at a
 * separately installed Electron).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

export type ElectronForTests =
  { path: string; version: string; env: Record<string, string> } | { missing: string };

/** The cached Electron build of better-sqlite3 that `npm start` prepares for `version`. */
export function cachedSqliteBinding(version: string): string {
  return join(
    REPO,
    'node_modules/.cache/hclab-electron-sqlite',
    version,
    'better-sqlite3/build/Release/better_sqlite3.node',
  );
}

function sqliteLoads(electron: string, binding: string | undefined): boolean {
  const options = JSON.stringify(binding === undefined ? {} : { nativeBinding: binding });
  const probe = spawnSync(
    electron,
    ['-e', `require('better-sqlite3')(':memory:', ${options}).close()`],
    {
      cwd: REPO,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return probe.status === 0;
}

let found: ElectronForTests | null = null;

/** Finds the binary, checks that it launches, and finds a better-sqlite3 build that loads in it. */
export function electronForTests(): ElectronForTests {
  if (found !== null) return found;
  found = (() => {
    let path: unknown;
    try {
      path = createRequire(import.meta.url)('electron');
    } catch (err) {
      return { missing: `no Electron binary (${(err as Error).message.split('\n')[0]})` };
    }
    if (typeof path !== 'string' || !existsSync(path))
      return {
        missing: `no Electron binary at ${String(path)} (installed with ELECTRON_SKIP_BINARY_DOWNLOAD? set ELECTRON_OVERRIDE_DIST_PATH to a separately installed Electron)`,
      };
    const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    const version = /v?(\d+\.\d+\.\d+\S*)/.exec(run.stdout ?? '')?.[1];
    if (run.status !== 0 || version === undefined)
      return {
        missing: `the Electron binary ${path} does not launch (${run.error?.message ?? (run.stderr || `exit ${run.status}`).trim().split('\n').at(-1)})`,
      };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    const given = process.env.HCLAB_SQLITE_BINDING;
    if (given !== undefined && given !== '') {
      if (!sqliteLoads(path, given))
        return {
          missing: `HCLAB_SQLITE_BINDING=${given} does not load in Electron ${version} (build better-sqlite3 for Electron ${version})`,
        };
      return { path, version, env };
    }
    if (sqliteLoads(path, undefined)) return { path, version, env };
    const cached = cachedSqliteBinding(version);
    if (existsSync(cached) && sqliteLoads(path, cached))
      return { path, version, env: { ...env, HCLAB_SQLITE_BINDING: cached } };
    return {
      missing: `better-sqlite3 is built for Node, not for Electron ${version}: run \`npm start\` once (it fetches the Electron build) or set HCLAB_SQLITE_BINDING to one`,
    };
  })();
  return found;
}
