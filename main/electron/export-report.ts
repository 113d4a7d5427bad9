/**
 * File → Export Report… in the desktop app: the report of the open project (the latest run of
 * each experiment, every format, one zip) built by report.export, saved where the user picks.
 * The window's taskbar entry shows an indeterminate progress bar while the report is built.
 */
import { writeFile } from 'node:fs/promises';
import { BrowserWindow, dialog } from 'electron';
import { ReportExportSchema } from '../../shared/api/report-export.js';
import type { ApiService } from '../service/api/api-service.js';

export async function exportReportFromMenu(service: ApiService): Promise<void> {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  try {
    win?.setProgressBar(2); // indeterminate
    let report;
    try {
      report = ReportExportSchema.parse(await service.handle('report.export', {}));
    } finally {
      win?.setProgressBar(-1);
    }
    const options = {
      title: 'Export report',
      defaultPath: report.fileName,
      filters: [{ name: 'Zip archive', extensions: ['zip'] }],
    };
    const r = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    if (r.canceled || !r.filePath) return;
    await writeFile(r.filePath, Buffer.from(report.base64, 'base64'));
    if (report.notes.length > 0) {
      const box = {
        type: 'info' as const,
        message: `Saved ${r.filePath}`,
        detail: report.notes.join('\n'),
      };
      if (win) await dialog.showMessageBox(win, box);
      else await dialog.showMessageBox(box);
    }
  } catch (err) {
    dialog.showErrorBox(
      'Cannot export the report',
      err instanceof Error ? err.message : String(err),
    );
  }
}
