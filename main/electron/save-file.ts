/**
 * Exports from the desktop app: the window asks (IPC_SAVE_FILE) to save a file it made (SVG,
 * PNG, CSV, JSON); the request is validated, the user picks where in a save dialog, and the
 * bytes are written there. Only the app's own pages may ask.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  MAX_SAVE_BYTES,
  SaveFileRequestSchema,
  type SaveFileResult,
} from '../../shared/api/save-file.js';
import { isAppUrl } from './channels.js';

export interface SaveDialog {
  /** Resolves to the chosen path, or undefined when cancelled. */
  choose(defaultName: string, extension: string): Promise<string | undefined>;
}

/** Validates the request, asks where, writes; throws (rejecting the invoke) on bad input. */
export async function handleSaveFile(
  senderUrl: string | null,
  request: unknown,
  dialog: SaveDialog,
): Promise<SaveFileResult> {
  if (!isAppUrl(senderUrl)) throw new Error('saveFile: refused (not the app window)');
  const parsed = SaveFileRequestSchema.safeParse(request);
  if (!parsed.success) throw new Error(`saveFile: ${parsed.error.issues[0]?.message ?? 'bad'}`);
  const bytes = Buffer.from(parsed.data.base64, 'base64');
  if (bytes.length > MAX_SAVE_BYTES) throw new Error('saveFile: the file is too large');
  const ext = path.extname(parsed.data.fileName).replace(/^\./, '');
  const target = await dialog.choose(parsed.data.fileName, ext);
  if (target === undefined) return { saved: false };
  await writeFile(target, bytes);
  return { saved: true, path: target };
}
