/**
 * The hidden window a report is printed from: never shown, no preload, no JavaScript (the report
 * is static HTML with inline SVG), sandboxed, in its own in-memory session that refuses every
 * request but the report's own file and inline data (a report makes none; this makes sure).
 */
import { BrowserWindow, session } from 'electron';
import { createElectronPdfPrinter, type PrintWindow } from './pdf-printer.js';
import type { PdfPrinter } from '../report/write-report.js';

/** In-memory (no `persist:`): nothing of a printed report is kept on disk. */
export const PRINT_PARTITION = 'hclab-report-print';

let sessionReady = false;

function printSession(): void {
  if (sessionReady) return;
  sessionReady = true;
  const s = session.fromPartition(PRINT_PARTITION);
  s.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !/^(file|data):/.test(details.url) }),
  );
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
}

export function openPrintWindow(): PrintWindow {
  printSession();
  const win = new BrowserWindow({
    show: false,
    width: 1000,
    height: 1400,
    webPreferences: {
      partition: PRINT_PARTITION,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  return {
    loadFile: (file) => win.loadFile(file),
    webContents: { printToPDF: (options) => win.webContents.printToPDF(options) },
    destroy: () => win.destroy(),
  };
}

/** The printer the desktop app gives report.export. */
export function electronPdfPrinter(): PdfPrinter {
  return createElectronPdfPrinter(openPrintWindow);
}
