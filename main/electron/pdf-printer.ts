/**
 * The desktop app's report PDF printer: the report's HTML is written to a temporary file, loaded
 * into a hidden window (see ./print-window.ts) and printed with `webContents.printToPDF` (A4 or
 * Letter, backgrounds kept, charts stay vector). The window and the file are gone afterwards,
 * whatever happens. Electron itself is injected, so this runs (and is tested) without it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PdfPrinter } from '../report/write-report.js';

/** The parts of a BrowserWindow the printer uses. */
export interface PrintWindow {
  loadFile(file: string): Promise<void>;
  readonly webContents: {
    printToPDF(options: {
      pageSize: 'A4' | 'Letter';
      printBackground: boolean;
      preferCSSPageSize: boolean;
    }): Promise<Uint8Array>;
  };
  destroy(): void;
}

export function createElectronPdfPrinter(
  openWindow: () => PrintWindow,
  tempRoot: string = os.tmpdir(),
): PdfPrinter {
  return {
    async print(html, paper) {
      const dir = await mkdtemp(path.join(tempRoot, 'hclab-report-print-'));
      let win: PrintWindow | null = null;
      try {
        const file = path.join(dir, 'report.html');
        await writeFile(file, html, 'utf8');
        win = openWindow();
        await win.loadFile(file);
        const pdf = await win.webContents.printToPDF({
          pageSize: paper,
          printBackground: true,
          // The report's @page rule may set margins; the paper size is the one asked for.
          preferCSSPageSize: false,
        });
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      } finally {
        win?.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
