// `npm start`: builds, then runs the desktop app. Without an Electron binary (installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) it serves the same UI with `hclab serve` and opens a browser.
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

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
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
 * it through HCLAB_SQLITE_BINDING (main/store/sqlite.ts). Returns the binding path or null.
 */
function electronSqliteBinding(electron) {
  const version = createRequire(import.meta.url)('electron/package.json').version;
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

let electron = electronBinary();
let sqliteBinding = null;
if (electron === null) {
  console.log(
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?) — starting the web UI instead',
  );
} else if (!sqliteLoads(electron)) {
  sqliteBinding = electronSqliteBinding(electron);
  if (sqliteBinding === null) {
    console.log(
      'could not get better-sqlite3 built for Electron (offline?) — starting the web UI instead',
    );
    electron = null;
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
