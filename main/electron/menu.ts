/**
 * The application menu. File: New, Open, Open Recent, Save As, Close, Export Report — each asks
 * with a dialog and calls the API service; the window learns of the change through
 * `project.changed`.
 */
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../shared/api/contract.js';
import type { RecentProject } from '../../shared/api/entities.js';
import { ApiError } from '../../shared/api/errors.js';
import type { ApiService } from '../service/api/api-service.js';
import { exportReportFromMenu } from './export-report.js';

const FILTERS = [{ name: 'HCLab project', extensions: ['hclab'] }];

function window(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

function showError(title: string, err: unknown): void {
  dialog.showErrorBox(title, err instanceof Error ? err.message : String(err));
}

/** Opens `path`; when another instance holds it, offers to open it read-only. */
export async function openProject(service: ApiService, path: string): Promise<void> {
  try {
    await service.handle('project.open', { path });
  } catch (err) {
    if (err instanceof ApiError && err.code === 'LOCKED') {
      const win = window();
      const options = {
        type: 'question' as const,
        buttons: ['Open read-only', 'Cancel'],
        defaultId: 0,
        cancelId: 1,
        message: 'This project is open in another HCLab window or process.',
        detail: err.message,
      };
      const answer = win
        ? await dialog.showMessageBox(win, options)
        : await dialog.showMessageBox(options);
      if (answer.response === 0) {
        try {
          await service.handle('project.open', { path, readOnly: true });
        } catch (again) {
          showError('Cannot open the project', again);
        }
      }
      return;
    }
    showError('Cannot open the project', err);
  }
}

async function newProject(service: ApiService): Promise<void> {
  const win = window();
  const options = { title: 'New project', filters: FILTERS, defaultPath: 'untitled.hclab' };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return;
  try {
    await service.handle('project.create', { path: withExtension(r.filePath) });
  } catch (err) {
    showError('Cannot create the project', err);
  }
}

async function openDialog(service: ApiService): Promise<void> {
  const win = window();
  const options = {
    title: 'Open project',
    filters: FILTERS,
    properties: ['openFile' as const],
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  if (r.canceled || r.filePaths.length === 0) return;
  await openProject(service, r.filePaths[0]);
}

async function saveAs(service: ApiService): Promise<void> {
  const win = window();
  const options = { title: 'Save project as', filters: FILTERS };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return;
  try {
    await service.handle('project.saveAs', { path: withExtension(r.filePath) });
  } catch (err) {
    showError('Cannot save the project', err);
  }
}

function withExtension(path: string): string {
  return /\.hclab$/i.test(path) ? path : `${path}.hclab`;
}

async function closeProject(service: ApiService): Promise<void> {
  try {
    await service.handle('project.close', {});
  } catch (err) {
    showError('Cannot close the project', err);
  }
}

export function buildMenu(service: ApiService, recent: readonly RecentProject[]): Menu {
  const mac = process.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No recent projects', enabled: false }]
      : recent.map((r) => ({ label: r.path, click: () => void openProject(service, r.path) }));
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'New Project…',
          accelerator: 'CmdOrCtrl+N',
          click: () => void newProject(service),
        },
        {
          label: 'Open Project…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void openDialog(service),
        },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        {
          label: 'Save Project As…',
          accelerator: 'CmdOrCtrl+Shift+S',
          click: () => void saveAs(service),
        },
        { label: 'Close Project', click: () => void closeProject(service) },
        { type: 'separator' },
        {
          label: 'Export Report…',
          accelerator: 'CmdOrCtrl+E',
          click: () => void exportReportFromMenu(service),
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

/** Installs the menu now and rebuilds it whenever the project changes (Open Recent). */
export function installMenu(service: ApiService): () => void {
  const refresh = async () => {
    let recent: RecentProject[] = [];
    try {
      recent = (await service.handle('project.recent', {})) as RecentProject[];
    } catch {
      // An unreadable recent list leaves the submenu empty.
    }
    Menu.setApplicationMenu(buildMenu(service, recent));
  };
  void refresh();
  return service.onEvent((e) => {
    if (e.event !== 'project.changed') return;
    if ((e.payload as EventPayload<'project.changed'>).what === 'project') void refresh();
  });
}
