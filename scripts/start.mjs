// `npm start`: builds, then runs the desktop app. Without an Electron binary that launches
// (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or one that cannot run here) it says why and
// serves the same UI with `hclab serve`, opening a browser. ELECTRON_OVERRIDE_DIST_PATH points
// the electron package at a separately installed Electron.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2); // e.g. a project file

const built = spawnSync('npm', ['run', 'build'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (built.status !== 0) process.exit(built.status ?? 1);

// With no project given, open the demo project so a newcomer sees real curves at once: the one
// `npm run demo` wrote into hclab-demo/, or a quick demo made now (under a minute).
const DEMO_DIR = join(root, 'hclab-demo');
const DEMO_PROJECT = join(DEMO_DIR, 'paper-study.hclab');
if (!args.some((a) => !a.startsWith('-'))) {
  if (!existsSync(DEMO_PROJECT)) {
    console.log('No project given: making the demo project (hclab demo --quick) …');
    const demo = spawnSync(
      process.execPath,
      [join(root, 'dist', 'main', 'cli', 'hclab.js'), 'demo', '--quick', '--out', DEMO_DIR],
      { cwd: root, stdio: 'inherit' },
    );
    if (demo.status !== 0) process.exit(demo.status ?? 1);
  }
  args.push(DEMO_PROJECT);
}

/** The electron package's binary (honours ELECTRON_OVERRIDE_DIST_PATH), or why there is none. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `no Electron binary at ${String(path)}` };
  } catch (err) {
    return { missing: `no Electron binary (${String(err?.message ?? err).split('\n')[0]})` };
  }
}

/** Runs `electron --version`: the binary's own Electron version, or why it does not launch. */
function electronVersion(electron) {
  const run = spawnSync(electron, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  const version = /v?(\d+\.\d+\.\d+\S*)/.exec(run.stdout ?? '')?.[1];
  if (run.status === 0 && version !== undefined) return { version };
  const why =
    run.error?.message ??
    ((run.stderr ?? '').trim().split('\n').at(-1) ||
      (run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`));
  return { fails: why };
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 0)));
}

function openBrowser(url) {
  const [cmd, ...cmdArgs] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  try {
    const child = spawn(cmd, cmdArgs, { stdio: 'ignore', detached: true });
    child.on('error', () => console.log(`Open ${url} in your browser.`));
    child.unref();
  } catch {
    console.log(`Open ${url} in your browser.`);
  }
}

/** Whether better-sqlite3 loads under Electron (optionally with a given native binding). */
function sqliteLoads(electron, binding) {
  const code = `require('better-sqlite3')(':memory:', ${JSON.stringify(binding ? { nativeBinding: binding } : {})}).close()`;
  const probe = spawnSync(electron, ['-e', code], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  return probe.status === 0;
}

/**
 * npm builds better-sqlite3 for Node's ABI (the CLI, web mode and tests use it). Electron needs
 * its own build: fetch the matching prebuilt binary (prebuild-install, as better-sqlite3's own
 * install does) into a cache beside node_modules, leaving the Node build untouched. The app finds
 * it through HCLAB_SQLITE_BINDING (main/store/sqlite.ts). `version` is the binary's own Electron
 * version (`electron --version`), which may differ from package.json's (e.g. with
 * ELECTRON_OVERRIDE_DIST_PATH). Returns the binding path or null.
 */
function electronSqliteBinding(electron, version) {
  const dir = join(
    root,
    'node_modules',
    '.cache',
    'hclab-electron-sqlite',
    version,
    'better-sqlite3',
  );
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding) && sqliteLoads(electron, binding)) return binding;
  console.log(`Preparing better-sqlite3 for Electron ${version} …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), dir, { recursive: true });
  rmSync(join(dir, 'build'), { recursive: true, force: true });
  const prebuild = join(root, 'node_modules', '.bin', 'prebuild-install');
  const got = spawnSync(
    prebuild,
    ['--runtime', 'electron', '--target', version, '--arch', process.arch],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  return got.status === 0 && existsSync(binding) && sqliteLoads(electron, binding) ? binding : null;
}

const found = electronBinary();
let electron = null;
let sqliteBinding = null;
if ('missing' in found) {
  console.log(
    `Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD? set ELECTRON_OVERRIDE_DIST_PATH for a separately installed Electron): ${found.missing} — starting the web UI instead`,
  );
} else {
  const launched = electronVersion(found.path);
  if ('fails' in launched) {
    console.log(
      `the Electron binary ${found.path} does not launch (${launched.fails}) — starting the web UI instead`,
    );
  } else if (
    process.env.HCLAB_SQLITE_BINDING &&
    sqliteLoads(found.path, process.env.HCLAB_SQLITE_BINDING)
  ) {
    electron = found.path; // a better-sqlite3 build for this Electron given by the user
  } else if (sqliteLoads(found.path)) {
    electron = found.path;
  } else {
    sqliteBinding = electronSqliteBinding(found.path, launched.version);
    if (sqliteBinding === null)
      console.log(
        `Electron ${launched.version} launches, but better-sqlite3 could not be prepared for it (offline?) — starting the web UI instead`,
      );
    else electron = found.path;
  }
}
if (electron !== null) {
  const env = sqliteBinding ? { ...process.env, HCLAB_SQLITE_BINDING: sqliteBinding } : process.env;
  forwardSignals(spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit', env }));
} else {
  const serve = spawn(process.execPath, [`${root}dist/main/cli/hclab.js`, 'serve', ...args], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  forwardSignals(serve);
  let pending = '';
  let opened = false;
  serve.stdout.on('data', (data) => {
    process.stdout.write(data);
    if (opened) return;
    pending += data.toString();
    const m = /^HCLab web UI: (\S+)$/m.exec(pending);
    if (m) {
      opened = true;
      openBrowser(m[1]);
    }
  });
}
