/**
 * Saves an export: a browser download in web mode, the desktop app's save dialog in Electron
 * (`window.hclab.saveFile`, exposed by the preload). The renderer never touches Node.
 */
import type { HclabBridge } from '../../../shared/api/envelope.js';
import { SaveFileResultSchema } from '../../../shared/api/save-file.js';

export interface SavedFile {
  fileName: string;
  /** false when the user cancelled the desktop save dialog. */
  saved: boolean;
}

function bridge(): HclabBridge | undefined {
  return (globalThis as { hclab?: HclabBridge }).hclab;
}

async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export async function saveBlob(fileName: string, blob: Blob): Promise<SavedFile> {
  const desktop = bridge();
  if (desktop?.saveFile !== undefined) {
    const reply = SaveFileResultSchema.parse(
      await desktop.saveFile({ fileName, mimeType: blob.type, base64: await base64Of(blob) }),
    );
    return { fileName, saved: reply.saved };
  }
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Revoke after the download has started.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return { fileName, saved: true };
}

export function saveText(fileName: string, text: string, mimeType: string): Promise<SavedFile> {
  return saveBlob(fileName, new Blob([text], { type: mimeType }));
}

export function saveJson(fileName: string, value: unknown): Promise<SavedFile> {
  return saveText(fileName, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}
