/**
 * Saving an export (SVG, PNG, CSV, JSON) from the desktop app: the renderer asks the preload's
 * `window.hclab.saveFile(request)`; the main process shows a save dialog and writes the file.
 * (In web mode the browser downloads the file instead; nothing crosses the API.) Browser-safe.
 */
import { z } from 'zod';

/** Largest export accepted (bytes, base64-decoded). */
export const MAX_SAVE_BYTES = 64 * 1024 * 1024;

export const SaveFileRequestSchema = z.strictObject({
  /** Suggested file name (no folders): what the file holds, e.g. `proj-run12-oltp-tpcc-mrc.svg`. */
  fileName: z
    .string()
    .min(1)
    .max(200)
    .refine((n) => !/[/\\]/.test(n) && n !== '.' && n !== '..', {
      error: 'expected a file name without folders',
    }),
  mimeType: z.string().min(1).max(100),
  /** The file's bytes, base64. */
  base64: z.string().max(Math.ceil((MAX_SAVE_BYTES * 4) / 3) + 4),
});
export type SaveFileRequest = z.infer<typeof SaveFileRequestSchema>;

export const SaveFileResultSchema = z.object({
  /** false when the user cancelled the dialog. */
  saved: z.boolean(),
  path: z.string().optional(),
});
export type SaveFileResult = z.infer<typeof SaveFileResultSchema>;
