/**
 * The desktop app's entry (package.json "main"): one instance, one API service, one window.
 * `hclab-app PROJECT.hclab` (or opening a .hclab file) opens that project. Quitting closes the
 * service (runs stop, the project file is unlocked) before the app exits.
 */
import { app, BrowserWindow, session } from 'electron';
import { join, resolve } from 'node:path';
import {
  createApiService,
  windowRelativePathReason,
  type ApiService,
} from '../service/api/api-service.js';
import { registerIpc } from './ipc.js';
import { installMenu, openProject } from './menu.js';
import { electronPdfPrinter } from './print-window.js';
import { registerSchemePrivileges, serveAppProtocol } from './protocol.js';
import { installSecurity, secureSession } from './security.js';
import { createMainWindow } from './window.js';

/** The first `.hclab` argument, resolved against `cwd`. */
function projectArg(argv: readonly string[], cwd: string): string | undefined {
  const arg = argv.slice(1).find((a) => !a.startsWith('-') && /\.hclab$/i.test(a));
  return arg === undefined ? undefined : resolve(cwd, arg);
}

// Tests point the app at a scratch profile (recent list, Chromium data).
if (process.env.HCLAB_USER_DATA) app.setPath('userData', process.env.HCLAB_USER_DATA);

registerSchemePrivileges();
installSecurity();

let service: ApiService | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting: 'no' | 'closing' | 'closed' = 'no';

function showWindow(): BrowserWindow {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow();
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
  return mainWindow;
}

async function start(): Promise<void> {
  await app.whenReady();
  secureSession(session.defaultSession);
  serveAppProtocol();
  service = createApiService({
    recentFile: join(app.getPath('userData'), 'recent.json'),
    refuseRelativePaths: windowRelativePathReason(),
    // report.export's PDF: printed by a hidden window of this app (webContents.printToPDF).
    pdfPrinter: () => Promise.resolve(electronPdfPrinter()),
    onInternalError: (method, err) => console.error(`hclab: internal error in ${method}:`, err),
  });
  registerIpc(service);
  installMenu(service);
  showWindow();
  const project = projectArg(process.argv, process.cwd());
  if (project !== undefined) await openProject(service, project);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    showWindow();
    const project = projectArg(argv, cwd);
    if (project !== undefined && service !== null) void openProject(service, project);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (service !== null) void openProject(service, path);
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) showWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting === 'closed' || service === null) return;
    event.preventDefault();
    if (quitting === 'closing') return;
    quitting = 'closing';
    service
      .close()
      .catch((err: unknown) => console.error('hclab: closing the project failed:', err))
      .finally(() => {
        quitting = 'closed';
        app.quit();
      });
  });
  start().catch((err: unknown) => {
    console.error('hclab: the app failed to start:', err);
    app.exit(1);
  });
}
