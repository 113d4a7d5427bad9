// `npm start`: builds, then runs the desktop app. Without an Electron binary (installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) it serves the same UI with `hclab serve` and opens a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Native modules are built for Node's ABI by npm; Electron needs its own build. */
function nativeModulesFit(electron) {
  const probe = spawnSync(electron, ['-e', "require('better-sqlite3')(':memory:').close()"], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  return probe.status === 0;
}

let electron = electronBinary();
if (electron !== null && !nativeModulesFit(electron)) {
  console.log(
    'better-sqlite3 is not built for Electron (run `npx @electron/rebuild -w better-sqlite3`) — starting the web UI instead',
  );
  electron = null;
} else if (electron === null) {
  console.log(
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?) — starting the web UI instead',
  );
}
if (electron !== null) {
  forwardSignals(spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit' }));
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
