/**
 * What `report.export` returns to the window ("Export report…"): one file to save — a zip of
 * every report file, or the HTML alone — with the names it holds and what could not be made.
 * Browser-safe (the renderer decodes `base64` into a Blob and saves it).
 */
import { z } from 'zod';
import { MAX_SAVE_BYTES } from './save-file.js';

/**
 * Largest report the app exports (bytes of the zip or HTML): the largest file the desktop app's
 * save dialog accepts, so whatever is exported can also be saved. Larger reports are refused with
 * BAD_INPUT (fewer runs or formats, or `hclab report` which writes a folder without this limit).
 */
export const MAX_REPORT_BYTES = MAX_SAVE_BYTES;

export const ReportExportSchema = z.object({
  /** Suggested file name, e.g. `study-report.zip` or `study-report.html`. */
  fileName: z.string().min(1),
  mimeType: z.enum(['application/zip', 'text/html']),
  /** The file's bytes, base64. */
  base64: z.string().max(Math.ceil((MAX_REPORT_BYTES * 4) / 3) + 4),
  /** Names of the report files inside (the zip's entries, or the HTML's own name). */
  files: z.array(z.string()),
  /** One line each: what could not be made and how to get it (e.g. no Chromium: no PDF). */
  notes: z.array(z.string()),
});
export type ReportExport = z.infer<typeof ReportExportSchema>;
